import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../../ai/providers/mock.js';
import { messages, usageEvents } from '../../db/schema/index.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';

const classification = (overrides: Record<string, unknown> = {}) => ({
  structured: {
    isNewProblem: true,
    isElaborationRequest: false,
    difficulty: { programming: 3, maths: 1 },
    problemSummary: 'reverse a list',
    ...overrides,
  },
});

let t: TestApp;
let baseUrl: string;
let primary: MockProvider;
let student: SignedInUser;

beforeAll(async () => {
  primary = createMockProvider({ name: 'anthropic' });
  // One student asks many questions at a frozen test clock: lift the per-student limits.
  const env = {
    LLM_PROVIDER: 'anthropic',
    CHAT_TURNS_PER_MINUTE: '100',
    CHAT_DAILY_TOKENS: '0',
    CHAT_WEEKLY_TOKENS: '0',
  };
  t = await createTestApp(env, undefined, {
    ai: { factories: { anthropic: () => primary }, sleep: async () => {} },
  });
  baseUrl = await t.listen();
  student = await registerThroughApi(t.app, { programmingLevel: 2 });
});
afterAll(() => t.close());
beforeEach(() => primary.reset());

function send(client: Awaited<ReturnType<typeof connectClient>>, payload: Record<string, unknown>) {
  return client.socket.timeout(5_000).emitWithAck('chat:send', {
    clientMessageId: randomUUID(),
    content: 'How do I reverse a list in Python?',
    ...payload,
  } as never);
}

describe('a turn over socket.io', () => {
  it('acks once stored, then streams turn → meta → ordered deltas → exactly one done', async () => {
    primary.enqueue(classification(), {
      text: 'What does slicing with a step of -1 do?',
      tokenDelayMs: 2,
    });
    const client = await connectClient(baseUrl, student.accessToken);
    const ack = await send(client, {});
    expect(ack).toMatchObject({ ok: true, duplicate: false });
    const { turnId } = ack as { turnId: string };

    const done = await client.terminalOf(turnId);
    const names = client.eventsOf(turnId).map((event) => event.name);
    expect(names[0]).toBe('chat:turn');
    expect(names[1]).toBe('chat:meta');
    expect(names.slice(2, -1).every((name) => name === 'chat:delta')).toBe(true);
    expect(names.filter((name) => name === 'chat:done' || name === 'chat:error')).toEqual([
      'chat:done',
    ]);

    const deltas = client.eventsOf(turnId).filter((event) => event.name === 'chat:delta');
    expect(deltas.map((event) => event.payload.seq)).toEqual(deltas.map((_, index) => index + 1));
    expect(deltas.map((event) => event.payload.text).join('')).toBe(done.payload.content);
    expect(done.payload).toMatchObject({
      status: 'complete',
      content: 'What does slicing with a step of -1 do?',
    });

    const [stored] = await t.database.db.select().from(messages).where(eq(messages.id, turnId));
    expect(stored).toMatchObject({
      status: 'complete',
      content: done.payload.content,
      provider: 'anthropic',
    });
    expect(stored?.outputTokens).toBeGreaterThan(0);
    client.close();
  });

  it('stop keeps the partial answer and ends it as interrupted', async () => {
    primary.enqueue(classification(), {
      text: 'one two three four five six',
      tokenDelayMs: 5,
      stallAfterTokens: 2,
    });
    const client = await connectClient(baseUrl, student.accessToken);
    const ack = (await send(client, {})) as { ok: true; turnId: string; sessionId: string };
    // The answer guard holds a line's first word until the next one shows it is prose, so the
    // first two words arrive as delta 1.
    await client.waitFor((event) => event.name === 'chat:delta' && event.payload.seq === 1);

    await client.socket
      .timeout(5_000)
      .emitWithAck('chat:stop', { sessionId: ack.sessionId, turnId: ack.turnId });
    const done = await client.terminalOf(ack.turnId);

    expect(done.name).toBe('chat:done');
    expect(done.payload).toMatchObject({ status: 'interrupted', content: 'one two' });
    const [stored] = await t.database.db.select().from(messages).where(eq(messages.id, ack.turnId));
    expect(stored).toMatchObject({ status: 'interrupted', content: 'one two' });
    client.close();
  });

  it('a resend with the same client message id returns the same turn and stores nothing twice', async () => {
    primary.enqueue(classification(), { text: 'Think about indices.' });
    const client = await connectClient(baseUrl, student.accessToken);
    const clientMessageId = randomUUID();
    const first = (await send(client, { clientMessageId })) as {
      turnId: string;
      sessionId: string;
    };
    await client.terminalOf(first.turnId);
    const again = await send(client, { clientMessageId, sessionId: first.sessionId });

    expect(again).toMatchObject({
      ok: true,
      duplicate: true,
      turnId: first.turnId,
      sessionId: first.sessionId,
    });
    const rows = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.sessionId, first.sessionId));
    expect(rows).toHaveLength(2);
    client.close();
  });

  it('a client that reconnects mid-turn gets exactly the deltas it missed, then the end', async () => {
    primary.enqueue(classification(), { text: 'a b c d e f g h', tokenDelayMs: 30 });
    const first = await connectClient(baseUrl, student.accessToken);
    const ack = (await send(first, {})) as { turnId: string; sessionId: string };
    // The answer guard holds a line's first word until the next one shows it is prose, so the
    // first two words arrive as delta 1.
    await first.waitFor((event) => event.name === 'chat:delta' && event.payload.seq === 2);
    first.close();

    const second = await connectClient(baseUrl, student.accessToken);
    const resumed = await second.socket
      .timeout(5_000)
      .emitWithAck('chat:resume', { sessionId: ack.sessionId, turnId: ack.turnId, afterSeq: 2 });
    expect(resumed).toMatchObject({ ok: true });
    const done = await second.terminalOf(ack.turnId);
    const seqs = second
      .eventsOf(ack.turnId)
      .filter((e) => e.name === 'chat:delta')
      .map((e) => e.payload.seq as number);

    // Replayed and live deltas may interleave; the client keys them by seq. Together they are
    // exactly what was missed: 3..7, nothing from before the disconnect.
    expect([...new Set(seqs)].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
    expect(done.payload.content).toBe('a b c d e f g h');
    second.close();
  });

  it('refuses a second question while the tutor is still answering in the same conversation', async () => {
    primary.enqueue(classification(), { text: 'slow answer here', stallAfterTokens: 2 });
    const client = await connectClient(baseUrl, student.accessToken);
    const ack = (await send(client, {})) as { turnId: string; sessionId: string };
    await client.waitFor((event) => event.name === 'chat:delta');
    const second = await send(client, { sessionId: ack.sessionId });
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'chat.turn_in_progress', retryable: true },
    });
    await client.socket.timeout(5_000).emitWithAck('chat:stop', { sessionId: ack.sessionId });
    await client.terminalOf(ack.turnId);
    client.close();
  });

  it('refuses a follow-up in a conversation deleted after this process answered in it', async () => {
    primary.enqueue(classification(), { text: 'First answer.' });
    const client = await connectClient(baseUrl, student.accessToken);
    const ack = (await send(client, {})) as { turnId: string; sessionId: string };
    await client.terminalOf(ack.turnId);
    await request(t.app)
      .delete(`/api/chat/sessions/${ack.sessionId}`)
      .set('Authorization', `Bearer ${student.accessToken}`)
      .expect(204);
    const calls = primary.calls.length;
    // The process remembers the conversation's scope and starts its reads at once; the session
    // read still decides, and the reads are dropped.
    const followUp = await send(client, { sessionId: ack.sessionId });
    expect(followUp).toMatchObject({ ok: false, error: { code: 'chat.session_not_found' } });
    expect(primary.calls.length).toBe(calls);
    client.close();
  });

  it('answers invalid payloads with a clear error instead of crashing', async () => {
    const client = await connectClient(baseUrl, student.accessToken);
    const bad = await client.socket
      .timeout(5_000)
      .emitWithAck('chat:send', { content: 42 } as never);
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'realtime.invalid_payload', retryable: false },
    });
    const otherUsersSession = await send(client, { sessionId: randomUUID() });
    expect(otherUsersSession).toMatchObject({
      ok: false,
      error: { code: 'chat.session_not_found' },
    });
    client.close();
  });

  it('stores usage for every call of a turn: classification and answer', async () => {
    const user = await registerThroughApi(t.app);
    primary.enqueue(classification(), {
      text: 'Try it.',
      usage: { inputTokens: 120, outputTokens: 3 },
    });
    const client = await connectClient(baseUrl, user.accessToken);
    const ack = (await send(client, {})) as { turnId: string };
    await client.terminalOf(ack.turnId);
    await new Promise((resolve) => setTimeout(resolve, 50)); // usage rows are written after the call

    const rows = await t.database.db
      .select()
      .from(usageEvents)
      .where(eq(usageEvents.userId, user.body.user.id));
    expect(rows.map((row) => row.purpose).sort()).toEqual(['answer', 'classification']);
    expect(rows.find((row) => row.purpose === 'answer')).toMatchObject({
      provider: 'anthropic',
      inputTokens: 120,
      outputTokens: 3,
      outcome: 'ok',
    });
    client.close();
  });

  it('a retry resent with the same client id (lost ack) starts nothing new', async () => {
    primary.enqueue(classification(), { failBeforeFirstToken: 'invalid_request' });
    const client = await connectClient(baseUrl, student.accessToken);
    const ack = (await send(client, {})) as { turnId: string; sessionId: string };
    await client.terminalOf(ack.turnId);

    primary.enqueue({ text: 'Second try.' });
    const retryId = randomUUID();
    const retry = (await client.socket
      .timeout(5_000)
      .emitWithAck('chat:retry', { sessionId: ack.sessionId, clientMessageId: retryId })) as {
      turnId: string;
    };
    expect(retry).toMatchObject({ ok: true, duplicate: false });
    await client.terminalOf(retry.turnId);
    const again = await client.socket
      .timeout(5_000)
      .emitWithAck('chat:retry', { sessionId: ack.sessionId, clientMessageId: retryId });

    expect(again).toMatchObject({ ok: true, duplicate: true, turnId: retry.turnId });
    const answers = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.replyToId, (again as { userMessageId: string }).userMessageId));
    expect(answers).toHaveLength(2); // the failed one (now hidden) and the retry; no third
    client.close();
  });

  it('resuming an answer whose process died ends it as interrupted instead of waiting forever', async () => {
    const client = await connectClient(baseUrl, student.accessToken);
    primary.enqueue(classification(), { text: 'done' });
    const ack = (await send(client, {})) as { turnId: string; sessionId: string };
    await client.terminalOf(ack.turnId);
    // An answer left behind by a crashed process: streaming, heartbeat long gone.
    const [orphan] = await t.database.db
      .insert(messages)
      .values({
        sessionId: ack.sessionId,
        userId: student.body.user.id,
        role: 'assistant',
        status: 'streaming',
        content: 'half an ans',
        createdAt: new Date(t.clock().getTime() - 60_000),
      })
      .returning();

    const resumed = await client.socket
      .timeout(5_000)
      .emitWithAck('chat:resume', { sessionId: ack.sessionId, turnId: orphan!.id, afterSeq: 0 });
    expect(resumed).toMatchObject({ ok: true, state: 'finished' });
    const end = await client.terminalOf(orphan!.id);
    expect(end.payload).toMatchObject({ content: 'half an ans' });
    client.close();
  });

  it('asking again in a conversation whose last answer was left by a dead process ends that answer and answers', async () => {
    const client = await connectClient(baseUrl, student.accessToken);
    primary.enqueue(classification(), { text: 'first' });
    const first = (await send(client, {})) as { turnId: string; sessionId: string };
    await client.terminalOf(first.turnId);
    const [orphan] = await t.database.db
      .insert(messages)
      .values({
        sessionId: first.sessionId,
        userId: student.body.user.id,
        role: 'assistant',
        status: 'streaming',
        content: 'left behind',
        createdAt: new Date(t.clock().getTime() - 60_000),
      })
      .returning();

    primary.enqueue(classification(), { text: 'second' });
    const next = (await send(client, { sessionId: first.sessionId })) as { turnId: string };
    expect(next.turnId).toEqual(expect.any(String));
    const end = await client.terminalOf(next.turnId);
    expect(end).toMatchObject({ name: 'chat:done', payload: { content: 'second' } });
    const [ended] = await t.database.db.select().from(messages).where(eq(messages.id, orphan!.id));
    expect(ended).toMatchObject({ status: 'interrupted', content: 'left behind' });
    client.close();
  });

  it('writes the partial answer and a heartbeat to the database while it streams', async () => {
    primary.enqueue(classification(), { text: 'one two three four', stallAfterTokens: 2 });
    const client = await connectClient(baseUrl, student.accessToken);
    const ack = (await send(client, {})) as { turnId: string; sessionId: string };
    // The answer guard holds a line's first word until the next one shows it is prose, so the
    // first two words arrive as delta 1.
    await client.waitFor((event) => event.name === 'chat:delta' && event.payload.seq === 1);
    await new Promise((resolve) => setTimeout(resolve, 1_300)); // one flush tick

    const [streaming] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.id, ack.turnId));
    expect(streaming).toMatchObject({ status: 'streaming', content: 'one two' });
    expect(streaming?.heartbeatAt).toBeInstanceOf(Date);

    await client.socket.timeout(5_000).emitWithAck('chat:stop', { sessionId: ack.sessionId });
    await client.terminalOf(ack.turnId);
    client.close();
  });
});
