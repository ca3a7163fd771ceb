import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { chatSessions, messages, usageEvents, usageReservations } from '../../db/schema/index.js';
import { createMigratedTestDatabase, type TestDatabase } from '../../test/database.js';
import { registerThroughApi } from '../../test/factories.js';
import { failFirst, withFaults, type FaultRule } from '../../test/faulty-database.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { updateCompletedAnswer } from './messages.repository.js';
import { STALE_AFTER_MS } from './turn.types.js';

/**
 * The end of a turn when the database is overloaded (the pool gives no connection in time) or
 * gone: the answer's last write is what matters; bookkeeping never turns a delivered answer into
 * an error, and usage is never lost silently.
 */

const classify = {
  structured: {
    isNewProblem: true,
    isElaborationRequest: false,
    difficulty: { programming: 2, maths: 1 },
    problemSummary: 'sum a list',
  },
};
const ANSWER = 'Start with a running total of zero, then add each number to it in a loop.';

// The statements at the end of a turn, as Drizzle writes them.
const ANSWER_WRITE = /^with "ended" as \(update "messages"/i;
const USAGE_ROW = /^insert into "usage_events"/i;
const SETTLEMENT = /^delete from "usage_reservations"/i;
const FLUSH = /^\s*update "messages" set content = flushed\.content/i;

describe('the end of a turn on an overloaded database', () => {
  let testDatabase: TestDatabase;
  let t: TestApp;
  let baseUrl: string;
  const provider = createMockProvider({ name: 'anthropic' });
  let fail: FaultRule = () => false;
  let failed: string[] = [];

  beforeAll(async () => {
    testDatabase = await createMigratedTestDatabase();
    const faulty = withFaults(testDatabase.database, (text) => {
      const isFailing = fail(text);
      if (isFailing) failed.push(text.slice(0, 40));
      return isFailing;
    });
    t = await createTestApp(
      // A daily allowance, so every turn holds a reservation that must be settled.
      { LLM_PROVIDER: 'anthropic', CHAT_DAILY_TOKENS: '1000000', CHAT_WEEKLY_TOKENS: '0' },
      { database: faulty },
      { ai: { factories: { anthropic: () => provider }, sleep: async () => {} } },
    );
    baseUrl = await t.listen();
  });
  afterAll(async () => {
    fail = () => false;
    await t.close();
    await testDatabase.drop();
  });
  beforeEach(() => {
    fail = () => false;
    failed = [];
    provider.reset();
  });

  async function askOnce() {
    const user = await registerThroughApi(t.app);
    const client = await connectClient(baseUrl, user.accessToken);
    provider.enqueue(classify, { text: ANSWER });
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'How do I add up the numbers in a list?',
    })) as { ok: boolean; turnId: string; sessionId: string };
    expect(ack.ok).toBe(true);
    // The answer's last write is tried for up to 10 s (ANSWER_WRITE_RETRY) before giving up.
    const end = await client.waitFor(
      (event) =>
        (event.name === 'chat:done' || event.name === 'chat:error') &&
        event.payload.turnId === ack.turnId,
      20_000,
    );
    return { user, client, ack, end, userId: user.body.user.id };
  }

  const db = () => testDatabase.database.db;
  const answerRow = async (id: string) =>
    (await db().select().from(messages).where(eq(messages.id, id)))[0];
  const usageOf = async (userId: string) =>
    (await db().select().from(usageEvents).where(eq(usageEvents.userId, userId)))
      .map((row) => `${row.purpose}:${row.outcome}`)
      .sort();
  const holdsOf = async (userId: string) =>
    (await db().select().from(usageReservations).where(eq(usageReservations.userId, userId)))
      .length;

  it('completes the answer, records usage once and settles the hold when writes time out at first', async () => {
    const rules = [failFirst(ANSWER_WRITE, 2), failFirst(USAGE_ROW, 2), failFirst(SETTLEMENT, 2)];
    fail = (text) => rules.some((rule) => rule(text));
    const { client, ack, end, userId } = await askOnce();

    expect(end.name).toBe('chat:done');
    expect(end.payload).toMatchObject({ status: 'complete', content: ANSWER });
    const terminals = client
      .eventsOf(ack.turnId)
      .filter((event) => event.name === 'chat:done' || event.name === 'chat:error');
    expect(terminals.map((event) => event.name)).toEqual(['chat:done']);
    expect(await answerRow(ack.turnId)).toMatchObject({
      status: 'complete',
      content: ANSWER,
      errorCode: null,
      hintLevelProgramming: expect.any(Number),
    });
    // Bookkeeping runs after chat:done, retried in the background: each call stored once.
    await expect
      .poll(() => usageOf(userId), { timeout: 20_000, interval: 200 })
      .toEqual(['answer:ok', 'classification:ok']);
    await expect.poll(() => holdsOf(userId), { timeout: 20_000, interval: 200 }).toBe(0);
    // Every fault was met: two tries of each write failed before one went through.
    expect(failed).toHaveLength(6);
    client.close();
  }, 60_000);

  it('says the answer could not be saved, keeps its text, and still bills it, when the last write never goes through', async () => {
    // The flush of the partial text fails too: the stored copy lags what the student saw.
    fail = (text) => ANSWER_WRITE.test(text) || FLUSH.test(text);
    const { client, ack, end, userId } = await askOnce();

    expect(end.name).toBe('chat:error');
    expect(end.payload).toMatchObject({
      code: 'database.unavailable',
      retryable: true,
      messageId: ack.turnId,
      content: ANSWER,
    });
    expect(client.eventsOf(ack.turnId).some((event) => event.name === 'chat:done')).toBe(false);
    expect(failed.length).toBeGreaterThan(1);
    // Not stored as complete, and nothing wrote an error over it: still streaming, for the sweep.
    expect((await answerRow(ack.turnId))?.status).toBe('streaming');
    await expect
      .poll(() => usageOf(userId), { timeout: 20_000, interval: 200 })
      .toEqual(['answer:ok', 'classification:ok']);
    await expect.poll(() => holdsOf(userId), { timeout: 20_000, interval: 200 }).toBe(0);

    // Its heartbeat stopped with the turn: once the database takes writes again, the orphan
    // sweep ends it as interrupted, with the whole text the student saw (this process still
    // knows it), and without a second terminal event.
    fail = () => false;
    t.clock.advance(STALE_AFTER_MS + 1_000);
    await t.hintbook.orphans.sweepNow();
    expect(await answerRow(ack.turnId)).toMatchObject({ status: 'interrupted', content: ANSWER });
    // A round trip after the sweep: anything it announced has reached the client by the ack.
    await client.socket
      .timeout(5_000)
      .emitWithAck('chat:stop', { sessionId: ack.sessionId, turnId: ack.turnId });
    const terminals = client
      .eventsOf(ack.turnId)
      .filter((event) => event.name === 'chat:done' || event.name === 'chat:error');
    expect(terminals).toHaveLength(1);
    client.close();
  }, 60_000);

  it('tells the student the tutor is busy, keeps the question, when a read before the answer finds no connection', async () => {
    // The prompt's read of the student's levels, as in the 600-stream bench.
    fail = failFirst(/^select .* from "user_pedagogy"/i, 1);
    const { client, ack, end } = await askOnce();

    expect(failed).toHaveLength(1);
    expect(end.name).toBe('chat:error');
    expect(end.payload).toMatchObject({ code: 'database.unavailable', retryable: true });
    expect((end.payload as { message: string }).message).toMatch(/busy/);
    expect(await answerRow(ack.turnId)).toMatchObject({
      status: 'error',
      errorCode: 'database.unavailable',
    });
    // The question is kept, and a retry answers it.
    provider.enqueue(classify, { text: ANSWER });
    const retried = (await client.socket.timeout(5_000).emitWithAck('chat:retry', {
      sessionId: ack.sessionId,
      clientMessageId: randomUUID(),
    })) as { ok: boolean; turnId: string };
    expect(retried.ok).toBe(true);
    const done = await client.terminalOf(retried.turnId);
    expect(done.payload).toMatchObject({ status: 'complete', content: ANSWER });
    client.close();
  }, 60_000);

  it('stores a new conversation with its question in one statement, and moves the level without locking it', async () => {
    const statements: string[] = [];
    fail = (text) => {
      statements.push(text);
      return false;
    };
    const { client, ack, end } = await askOnce();
    expect(end.name).toBe('chat:done');
    // The classification is learnt after chat:done: wait for it before counting.
    await expect
      .poll(
        async () =>
          (
            (
              await db()
                .select({ pedagogy: chatSessions.pedagogy })
                .from(chatSessions)
                .where(eq(chatSessions.id, ack.sessionId))
            )[0]?.pedagogy as { problemSummary?: string }
          ).problemSummary,
        { timeout: 5_000, interval: 50 },
      )
      .toBe('sum a list');
    client.close();
    const storing = statements.filter((text) =>
      /insert into "(chat_sessions|messages)"/i.test(text),
    );
    expect(storing).toHaveLength(1);
    expect(storing[0]).toMatch(/insert into "chat_sessions"[\s\S]*insert into "messages"/i);
    // Neither the answer's end nor the classification took the session's row lock.
    expect(statements.filter((text) => /"chat_sessions".*for update/is.test(text))).toEqual([]);
  });

  it("moves the session's hint state with the answer only if nobody changed it, and a retry says it is there", async () => {
    const { ack } = await askOnce();
    const hintState = async () =>
      (
        await db()
          .select({ pedagogy: chatSessions.pedagogy })
          .from(chatSessions)
          .where(eq(chatSessions.id, ack.sessionId))
      )[0]?.pedagogy as Record<string, unknown>;
    // The turn's classification lands after chat:done; wait for it, so nothing else writes.
    let stored = await hintState();
    for (const end = Date.now() + 5_000; stored.problemSummary !== 'sum a list';) {
      if (Date.now() > end) throw new Error('the classification never landed');
      await new Promise((resolve) => setTimeout(resolve, 20));
      stored = await hintState();
    }
    const next = { ...stored, turnsOnProblem: 99 };
    const now = t.clock();
    const swap = { expected: stored, next };
    expect(await updateCompletedAnswer(db(), ack.turnId, { content: 'a' }, now, swap)).toBe(true);
    expect(await hintState()).toEqual(next);
    // The same write again, as after a reply lost once it committed: already there.
    expect(await updateCompletedAnswer(db(), ack.turnId, { content: 'a' }, now, swap)).toBe(true);
    // Planned from a state that is no longer stored: the answer is stored, the state kept.
    const stale = { expected: stored, next: { ...stored, turnsOnProblem: 5 } };
    expect(await updateCompletedAnswer(db(), ack.turnId, { content: 'b' }, now, stale)).toBe(false);
    expect(await hintState()).toEqual(next);
    expect((await answerRow(ack.turnId))?.content).toBe('b');
  });

  it('stores the answer and moves its session to the top together', async () => {
    const { ack } = await askOnce();
    const later = new Date(t.clock().getTime() + 60_000);
    await updateCompletedAnswer(db(), ack.turnId, { content: 'rewritten' }, later);
    expect((await answerRow(ack.turnId))?.content).toBe('rewritten');
    const [session] = await db()
      .select()
      .from(chatSessions)
      .where(eq(chatSessions.id, ack.sessionId));
    expect(session).toMatchObject({ lastMessageAt: later, updatedAt: later });
  });
});
