import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, usageEvents, usageReservations } from '../../db/schema/index.js';
import { insertUsageEvent } from '../usage/usage.repository.js';
import {
  promptTokensOf,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
  type FakeScript,
  type FakeServer,
} from '../../test/fake-providers/index.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';

/**
 * Usage through the real vendor SDKs against their fake servers, which report counts as each
 * vendor does: OpenAI only in the final chunk, Anthropic in message_start and message_delta,
 * Gemini a running usageMetadata.
 */

const CLASSIFICATION = {
  isNewProblem: true,
  isElaborationRequest: false,
  showedEffort: false,
  difficulty: { programming: 2, maths: 1 },
  problemSummary: 'sum a list',
};
const words = (count: number) => Array.from({ length: count }, () => ' word');

type Client = Awaited<ReturnType<typeof connectClient>>;
async function send(client: Client, content = 'How do I add up the numbers in a list?') {
  return (await client.socket.timeout(5_000).emitWithAck('chat:send', {
    clientMessageId: randomUUID(),
    content,
  } as never)) as {
    ok: boolean;
    turnId: string;
    sessionId: string;
    error?: { code: string };
  };
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not recorded in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const vendors = [
  {
    name: 'anthropic',
    start: startFakeAnthropic,
    env: (url: string) => ({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: url }),
    // message_start carried the input count; the output count only comes at the end.
    hasVendorInput: true,
  },
  {
    name: 'openai',
    start: startFakeOpenAI,
    env: (url: string) => ({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: url }),
    // Usage only arrives in the final chunk: a stopped stream has no count at all.
    hasVendorInput: false,
  },
  {
    name: 'google',
    start: startFakeGemini,
    env: (url: string) => ({ GOOGLE_API_KEY: 'k', GOOGLE_BASE_URL: url }),
    // Every chunk carries the running usageMetadata.
    hasVendorInput: true,
  },
] as const;

describe.each(vendors)('usage of stopped calls through the $name SDK', (vendor) => {
  let fake: FakeServer;
  let t: TestApp;
  let user: SignedInUser;
  beforeAll(async () => {
    fake = await vendor.start();
    t = await createTestApp({ LLM_PROVIDER: vendor.name, ...vendor.env(fake.baseUrl) });
    user = await registerThroughApi(t.app);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const rowsOf = (purpose: 'answer' | 'classification', messageId?: string) =>
    t.database.db
      .select()
      .from(usageEvents)
      .where(
        and(
          eq(usageEvents.userId, user.body.user.id),
          eq(usageEvents.purpose, purpose),
          ...(messageId ? [eq(usageEvents.messageId, messageId)] : []),
        ),
      );

  it('records a stopped answer: the vendor input where it came, the output estimated from the text, flagged', async () => {
    fake.setDefault({
      chunks: words(200),
      chunkDelayMs: 15,
      structured: CLASSIFICATION,
    } satisfies FakeScript);
    const client = await connectClient(await t.listen(), user.accessToken);
    const ack = await send(client);
    await client.waitFor(
      (event) => event.name === 'chat:delta' && (event.payload as { seq: number }).seq === 3,
    );
    await client.socket.timeout(5_000).emitWithAck('chat:stop', { sessionId: ack.sessionId });
    const end = await client.terminalOf(ack.turnId);
    expect(end.payload).toMatchObject({ status: 'interrupted' });
    const seen = client.eventsOf(ack.turnId).filter((event) => event.name === 'chat:delta').length;

    const [row] = await until(async () => {
      const rows = await rowsOf('answer', ack.turnId);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toMatchObject({ provider: vendor.name, outcome: 'aborted', isEstimate: true });
    expect(row!.outputTokens).toBeGreaterThanOrEqual(seen);
    // The streamed call is the answer; the classification beside it is not streamed.
    const answerCall = fake.calls.findLast(
      (call) => call.path.includes('stream') || (call.body as { stream?: boolean }).stream,
    )!;
    const vendorInput = promptTokensOf(answerCall.body);
    if (vendor.hasVendorInput) expect(row!.inputTokens).toBe(vendorInput);
    // Estimated from the request: near what the vendor would have counted, not 0.
    else expect(row!.inputTokens).toBeGreaterThan(vendorInput / 2);
    client.close();
  });

  it('aborts a classification still running when the student stops, and bills what it read', async () => {
    // Every call takes 1.5 s to its first token: the stop comes while both are in flight.
    fake.setDefault({
      chunks: words(20),
      structured: CLASSIFICATION,
      timing: { firstTokenMs: 1_500, perTokenMs: 0 },
    } satisfies FakeScript);
    const client = await connectClient(await t.listen(), user.accessToken);
    const ack = await send(client, 'Why is my total 0?');
    await client.waitFor((event) => event.name === 'chat:meta');
    await until(async () =>
      fake.calls.some((call) => !JSON.stringify(call.body).includes('"stream":true')) &&
      fake.calls.length >= 2
        ? true
        : undefined,
    );
    await client.socket.timeout(5_000).emitWithAck('chat:stop', { sessionId: ack.sessionId });
    await client.terminalOf(ack.turnId);

    const questionId = await findQuestionOf(t, ack.turnId);
    const [row] = await until(async () => {
      const rows = await rowsOf('classification', questionId);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row).toMatchObject({
      provider: vendor.name,
      outcome: 'aborted',
      isEstimate: true,
      outputTokens: 0,
    });
    expect(row!.inputTokens).toBeGreaterThan(0);
    client.close();
  });
});

async function findQuestionOf(t: TestApp, answerId: string) {
  const [answer] = await t.database.db
    .select({ replyToId: messages.replyToId })
    .from(messages)
    .where(eq(messages.id, answerId));
  return answer?.replyToId ?? undefined;
}

describe('allowances under concurrent turns (OpenAI SDK)', () => {
  const DAILY = 1_000_000;
  let fake: FakeServer;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: fake.baseUrl,
      CHAT_DAILY_TOKENS: String(DAILY),
      CHAT_WEEKLY_TOKENS: '0',
      SOCKET_MAX_CONNECTIONS_PER_USER: '3',
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /** A student with only `left` tokens of today's allowance left. */
  async function nearlySpent(left: number) {
    const user = await registerThroughApi(t.app);
    await insertUsageEvent(t.database.db, {
      userId: user.body.user.id,
      purpose: 'answer',
      provider: 'openai',
      model: 'gpt-5-mini',
      inputTokens: DAILY - left,
      outputTokens: 0,
      outcome: 'ok',
      createdAt: t.clock(),
    });
    return user;
  }
  const usedToday = async (userId: string) => {
    const rows = await t.database.db
      .select()
      .from(usageEvents)
      .where(eq(usageEvents.userId, userId));
    return rows.reduce((sum, row) => sum + row.inputTokens + row.outputTokens, 0);
  };

  it('holds a first question far from every limit while it answers (the hold beside the call) and gives it back at the end', async () => {
    fake.setDefault({ chunks: words(20), stallAfterChunks: 3, structured: CLASSIFICATION });
    const user = await registerThroughApi(t.app);
    const userId = user.body.user.id;
    const client = await connectClient(await t.listen(), user.accessToken);
    const ack = await send(client);
    expect(ack.ok).toBe(true);
    // The answer reaches the client only once the hold was taken.
    await client.waitFor((event) => event.name === 'chat:delta');
    const holds = () =>
      t.database.db.select().from(usageReservations).where(eq(usageReservations.userId, userId));
    expect(await holds()).toHaveLength(1);
    await client.socket.timeout(5_000).emitWithAck('chat:stop', { sessionId: ack.sessionId });
    await client.terminalOf(ack.turnId);
    await until(async () => ((await holds()).length === 0 ? true : undefined));
    client.close();
  });

  it('lets only one of two simultaneous questions spend what is left; the other is refused', async () => {
    fake.setDefault({
      chunks: words(100),
      structured: CLASSIFICATION,
      usage: { inputTokens: 10, outputTokens: 20 },
    });
    const user = await nearlySpent(6_000);
    const baseUrl = await t.listen();
    const tabs = [
      await connectClient(baseUrl, user.accessToken),
      await connectClient(baseUrl, user.accessToken),
    ];
    const acks = await Promise.all(tabs.map((tab) => send(tab)));
    const refused = acks.filter((ack) => !ack.ok);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.error).toMatchObject({ code: 'chat.allowance_exhausted' });
    const started = acks.findIndex((ack) => ack.ok);
    const end = await tabs[started]!.terminalOf(acks[started]!.turnId);
    expect(end.name).toBe('chat:done');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await usedToday(user.body.user.id)).toBeLessThanOrEqual(DAILY);
    for (const tab of tabs) tab.close();
  });

  it('ends an answer that reaches what is left with a plain message, keeping the text so far', async () => {
    fake.setDefault({ chunks: words(5_000), structured: CLASSIFICATION });
    const user = await nearlySpent(4_000);
    const client = await connectClient(await t.listen(), user.accessToken);
    const ack = await send(client);
    const end = await client.terminalOf(ack.turnId);
    expect(end.name).toBe('chat:error');
    expect(end.payload).toMatchObject({ code: 'chat.allowance_exhausted', retryable: false });
    const { content, message } = end.payload as { content: string; message: string };
    expect(content.length).toBeGreaterThan(0);
    expect(message).toMatch(/allowance for this day.*kept.*renews/);
    const [answer] = await t.database.db.select().from(messages).where(eq(messages.id, ack.turnId));
    expect(answer).toMatchObject({
      status: 'interrupted',
      content,
      errorCode: 'chat.allowance_exhausted',
    });
    // The stopped answer is billed its estimate: all within what was left, give or take the
    // chunk that crossed the line.
    const used = await until(async () => {
      const rows = await t.database.db
        .select()
        .from(usageEvents)
        .where(and(eq(usageEvents.userId, user.body.user.id), eq(usageEvents.purpose, 'answer')));
      return rows.length === 2 ? usedToday(user.body.user.id) : undefined;
    });
    expect(used).toBeLessThanOrEqual(DAILY + 2);
    expect(used).toBeGreaterThan(DAILY - 4_000);
    client.close();
  });
});
