import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { messages, usageEvents } from '../../db/schema/index.js';
import { registerThroughApi } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';

const classify = (isNewProblem: boolean) => ({
  structured: {
    isNewProblem,
    isElaborationRequest: false,
    difficulty: { programming: 3, maths: 1 },
    problemSummary: 'sum a list',
  },
});

type Client = Awaited<ReturnType<typeof connectClient>>;
const ask = (client: Client, payload: Record<string, unknown> = {}) =>
  client.socket.timeout(5_000).emitWithAck('chat:send', {
    clientMessageId: randomUUID(),
    content: 'How do I add up the numbers in a list?',
    ...payload,
  } as never) as Promise<{
    ok: boolean;
    turnId: string;
    sessionId: string;
    error?: { code: string };
  }>;

describe('fallback along the provider chain', () => {
  let t: TestApp;
  let baseUrl: string;
  const first = createMockProvider({ name: 'anthropic' });
  const second = createMockProvider({ name: 'openai' });
  beforeAll(async () => {
    t = await createTestApp(
      {
        LLM_PROVIDER: 'anthropic',
        LLM_FALLBACK_PROVIDERS: 'openai',
        LLM_MAX_RETRIES: '1',
        LLM_FIRST_TOKEN_TIMEOUT: '300ms',
        // Only answers count on the answer breaker (classifications have their own), and these
        // tests fail the first provider's answers more than five times in a row on purpose.
        LLM_CIRCUIT_FAILURES: '20',
      },
      undefined,
      {
        ai: { factories: { anthropic: () => first, openai: () => second }, sleep: async () => {} },
      },
    );
    baseUrl = await t.listen();
  });
  afterAll(() => t.close());

  async function turnFor(setup: () => void) {
    first.reset();
    second.reset();
    setup();
    const user = await registerThroughApi(t.app);
    const client = await connectClient(baseUrl, user.accessToken);
    const ack = await ask(client);
    const end = await client.terminalOf(ack.turnId);
    client.close();
    return { user, ack, end };
  }

  it.each([
    ['429', { failBeforeFirstToken: 'rate_limited' as const, status: 429, retryAfterMs: 1000 }],
    ['500', { failBeforeFirstToken: 'server' as const, status: 500 }],
  ])(
    'answers from the second provider when the first says %s before any token',
    async (_label, failure) => {
      const { user, ack, end } = await turnFor(() => {
        first.enqueue(classify(true), failure, failure); // classification, then the answer and its one retry
        second.enqueue({ text: 'From the fallback.' });
      });
      expect(end.name).toBe('chat:done');
      expect(end.payload.content).toBe('From the fallback.');
      const [answer] = await t.database.db
        .select()
        .from(messages)
        .where(eq(messages.id, ack.turnId));
      expect(answer?.provider).toBe('openai');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const calls = await t.database.db
        .select()
        .from(usageEvents)
        .where(eq(usageEvents.userId, user.body.user.id));
      // classification ok, two failed answer attempts on the first provider, one good one on the second
      expect(
        calls.map((call) => `${call.purpose}:${call.provider}:${call.outcome}`).sort(),
      ).toEqual([
        'answer:anthropic:error',
        'answer:anthropic:error',
        'answer:openai:ok',
        'classification:anthropic:ok',
      ]);
    },
  );

  it('does not retry or fall back after visible tokens: keeps the partial answer, retryable error', async () => {
    const { ack, end } = await turnFor(() => {
      first.enqueue(classify(true), { text: 'Start with total = 0 and then', failAfterTokens: 3 });
      second.enqueue({ text: 'must not be used' });
    });
    expect(end.name).toBe('chat:error');
    expect(end.payload).toMatchObject({
      code: 'ai.interrupted',
      retryable: true,
      content: 'Start with total',
    });
    expect(second.calls.filter((call) => call.kind === 'stream')).toHaveLength(0);
    const [answer] = await t.database.db.select().from(messages).where(eq(messages.id, ack.turnId));
    expect(answer).toMatchObject({
      status: 'interrupted',
      content: 'Start with total',
      errorCode: 'ai.interrupted',
    });
  });

  it('ends with a retryable error when every provider fails, and retry then answers', async () => {
    const user = await registerThroughApi(t.app);
    first.reset();
    second.reset();
    first.enqueue(
      classify(true),
      { failBeforeFirstToken: 'overloaded' },
      { failBeforeFirstToken: 'overloaded' },
      classify(true), // the retry is classified afresh: the failed turn's verdict was dropped
      { text: 'Second time lucky.' }, // the retry, once the provider is back
    );
    second.enqueue({ failBeforeFirstToken: 'server' }, { failBeforeFirstToken: 'server' });
    const client = await connectClient(baseUrl, user.accessToken);
    const ack = await ask(client);
    const failed = await client.terminalOf(ack.turnId);
    expect(failed.payload).toMatchObject({
      code: 'ai.provider_unavailable',
      retryable: true,
      content: '',
    });

    const retry = (await client.socket
      .timeout(5_000)
      .emitWithAck('chat:retry', { sessionId: ack.sessionId, clientMessageId: randomUUID() })) as {
      turnId: string;
    };
    const done = await client.terminalOf(retry.turnId);
    expect(done.payload).toMatchObject({ status: 'complete', content: 'Second time lucky.' });
    client.close();
  });
});

describe('hint levels', () => {
  let t: TestApp;
  const provider = createMockProvider({ name: 'anthropic' });
  beforeAll(async () => {
    t = await createTestApp(
      { LLM_PROVIDER: 'anthropic', LLM_CLASSIFICATION_TIMEOUT: '300ms' },
      undefined,
      {
        ai: { factories: { anthropic: () => provider }, sleep: async () => {} },
      },
    );
  });
  afterAll(() => t.close());

  const levelsOf = async (db: TestApp['database']['db'], turnId: string) => {
    const [row] = await db.select().from(messages).where(eq(messages.id, turnId));
    return {
      programming: row?.hintLevelProgramming,
      maths: row?.hintLevelMaths,
      cue: row?.hintCue,
    };
  };

  it('holds the level when classification times out, and climbs on a new attempt across a restart', async () => {
    const user = await registerThroughApi(t.app, { programmingLevel: 2, mathsLevel: 2 });
    const baseUrl = await t.listen();
    const client = await connectClient(baseUrl, user.accessToken);

    // Turn 1: a new problem of difficulty 3 for a level-2 student starts at hint level 2.
    provider.enqueue(classify(true), { text: 'What would you add to first?' });
    const one = await ask(client);
    await client.terminalOf(one.turnId);
    expect(await levelsOf(t.database.db, one.turnId)).toMatchObject({ programming: 2 });

    // Turn 2: nothing new, and the classifier (beside the answer) stalls past its timeout: the
    // answer still comes, and the level holds.
    provider.enqueue({ stallAfterTokens: 0, for: 'structured' }, { text: 'Look at a for loop.' });
    const two = await ask(client, { sessionId: one.sessionId, content: 'still stuck' });
    await client.terminalOf(two.turnId);
    expect(await levelsOf(t.database.db, two.turnId)).toMatchObject({ programming: 2 });
    client.close();
    await t.hintbook.io.close();

    // The server restarts on the same database; an account of a new attempt climbs one step.
    const restarted = await createTestApp(
      { LLM_PROVIDER: 'anthropic', LLM_CLASSIFICATION_TIMEOUT: '300ms' },
      t,
      {
        ai: { factories: { anthropic: () => provider }, sleep: async () => {} },
      },
    );
    const again = await connectClient(await restarted.listen(), user.accessToken);
    provider.enqueue(classify(false), { text: 'total += n' });
    const three = await ask(again, {
      sessionId: one.sessionId,
      content: 'I tried total = total + n but it says NameError',
    });
    await again.terminalOf(three.turnId);
    expect(await levelsOf(t.database.db, three.turnId)).toMatchObject({
      programming: 3,
      cue: expect.any(String),
    });
    again.close();
    await restarted.hintbook.io.close();
  }, 30_000);
});
