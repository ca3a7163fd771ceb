import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, usageEvents } from '../../db/schema/index.js';
import { startFakeOpenAI, type FakeServer } from '../../test/fake-providers/index.js';
import { registerThroughApi } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { allowanceExhausted } from '../usage/usage.errors.js';
import { findUserById } from '../users/users.repository.js';
import type { UserRow } from '../users/users.types.js';
import { insertTurn } from './messages.repository.js';
import { provisionalRows, provisionalSession } from './provisional-turn.js';
import { createSession } from './sessions.repository.js';
import { runTurn } from './turn-runner.js';
import type { TurnCommit, TurnDeps } from './turn.types.js';

/**
 * A turn whose answer call starts beside its store and hold (turn.service.ts), driven directly
 * with the real runner, database and OpenAI SDK against its fake; the test decides when and how
 * the store and hold commit.
 */

const CLASSIFICATION = {
  isNewProblem: true,
  isElaborationRequest: false,
  showedEffort: false,
  difficulty: { programming: 2, maths: 1 },
  problemSummary: 'sum a list',
};
const words = (count: number) => Array.from({ length: count }, () => ' word');
const NO_HOLD = {
  id: null,
  capTokens: null,
  capUsd: null,
  binding: { window: 'day' as const, resetsAt: new Date(0) },
};

/** A commit the test settles itself; `order` gets 'begin' each time the turn begins it. */
function controlledCommit(order: string[] = []) {
  let settleStored!: (value: Awaited<TurnCommit['stored']>) => void;
  let settleBoth!: (value: Awaited<TurnCommit['both']>) => void;
  const commit: TurnCommit = {
    stored: new Promise((resolve) => (settleStored = resolve)),
    both: new Promise((resolve) => (settleBoth = resolve)),
    begin: () => void order.push('begin'),
  };
  return { commit, settleStored, settleBoth };
}

async function until<T>(read: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('did not happen in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('an answer call started beside its store and hold', () => {
  let fake: FakeServer;
  let t: TestApp;
  let user: UserRow;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: fake.baseUrl,
      CHAT_DAILY_TOKENS: '1000000',
    });
    const registered = await registerThroughApi(t.app);
    user = (await findUserById(t.database.db, registered.body.user.id))!;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /**
   * Starts a turn as turn.service.ts does on that path; `store` decides whether rows exist
   * (stored now, or by `storeLater`); `isNew` makes it a conversation's first question, whose
   * conversation row is stored with it.
   */
  async function startTurn(
    commit: TurnCommit,
    store: boolean,
    isNew = false,
    order: string[] = [],
  ) {
    const events: { name: string; payload: unknown; at: number }[] = [];
    const { tutor } = t.hintbook.turns;
    const deps: TurnDeps = {
      ...t.hintbook.turns,
      // Notes when the answer is asked for (its request is made as its stream is first read).
      tutor: {
        isConfigured: () => tutor.isConfigured(),
        isDemo: () => tutor.isDemo(),
        classify: (...args) => tutor.classify(...args),
        summarize: (...args) => tutor.summarize(...args),
        streamAnswer: (...args) => {
          order.push('answer');
          return tutor.streamAnswer(...args);
        },
      },
      emitter: {
        toUser: (_userId, name, payload) => events.push({ name, payload, at: Date.now() }),
      },
    };
    const sessionValues = {
      userId: user.id,
      title: 'loops',
      scope: 'general' as const,
      notebookId: null,
      lastMessageAt: t.clock(),
      updatedAt: t.clock(),
    };
    const session = isNew
      ? provisionalSession(randomUUID(), sessionValues, t.clock())
      : await createSession(t.database.db, sessionValues);
    const ids = { questionId: randomUUID(), answerId: randomUUID() };
    const content = 'How do I add up the numbers in a list?';
    const rows = provisionalRows({
      session,
      userId: user.id,
      content,
      clientMessageId: randomUUID(),
      ids,
      now: t.clock(),
    });
    const storeRows = () =>
      insertTurn(t.database.db, {
        sessionId: session.id,
        userId: user.id,
        content,
        clientMessageId: rows.question.clientMessageId!,
        createdAt: t.clock(),
        ids,
        newSession: isNew ? sessionValues : undefined,
      });
    if (store) await storeRows();
    const turn = deps.activeTurns.start({
      turnId: ids.answerId,
      sessionId: session.id,
      userId: user.id,
    });
    const run = runTurn(deps, {
      turn,
      user,
      ...rows,
      isNewSession: isNew,
      kind: 'new',
      committed: commit,
    });
    const answerCall = () =>
      until(() =>
        fake.calls.find(
          (call) =>
            (call.body as { stream?: boolean }).stream === true &&
            JSON.stringify(call.body).includes(content) &&
            !seen.has(call),
        ),
      ).then((call) => seen.add(call));
    return { events, run, ids, answerCall, turn, session, storeLater: storeRows };
  }
  const seen = new Set<unknown>();
  const answerUsage = (answerId: string, purpose: 'answer' | 'classification' = 'answer') =>
    until(async () => {
      const [row] = await t.database.db
        .select()
        .from(usageEvents)
        .where(and(eq(usageEvents.messageId, answerId), eq(usageEvents.purpose, purpose)));
      return row;
    });

  it('shows nothing, not even the turn, until the question is stored and the hold taken', async () => {
    fake.setDefault({ chunks: words(20), structured: CLASSIFICATION });
    const { commit, settleStored, settleBoth } = controlledCommit();
    const { events, run, ids, answerCall } = await startTurn(commit, true);
    await answerCall();
    // The fake has long sent every chunk by now; none of it may be out.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toEqual([]);
    const committedAt = Date.now();
    settleStored({
      ok: true,
      rows: { sessionId: '', userMessageId: '', turnId: '', duplicate: false },
    });
    settleBoth({ state: 'committed', reservation: NO_HOLD });
    await run;
    const names = events.map((event) => event.name);
    expect(names.slice(0, 2)).toEqual(['chat:turn', 'chat:meta']);
    expect(names.at(-1)).toBe('chat:done');
    // The answer guard may merge pieces below code-level help; every delta is still there.
    expect(names.slice(2, -1).length).toBeGreaterThan(0);
    expect(new Set(names.slice(2, -1))).toEqual(new Set(['chat:delta']));
    expect(Math.min(...events.map((event) => event.at))).toBeGreaterThanOrEqual(committedAt);
    const [answer] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.id, ids.answerId));
    expect(answer).toMatchObject({ status: 'complete', content: words(20).join('') });
  });

  it('begins the store and the hold only once the answer is asked for, and for a turn stopped at once', async () => {
    fake.setDefault({ chunks: words(5), structured: CLASSIFICATION });
    const order: string[] = [];
    const asked = controlledCommit(order);
    const { run, answerCall } = await startTurn(asked.commit, true, false, order);
    await answerCall();
    // One macrotask after the answer's request was made: before it the store's and the hold's
    // statements delayed the prompt's reads.
    expect(order).toEqual(['answer', 'begin']);
    asked.settleStored({
      ok: true,
      rows: { sessionId: '', userMessageId: '', turnId: '', duplicate: false },
    });
    asked.settleBoth({ state: 'committed', reservation: NO_HOLD });
    await run;

    order.length = 0;
    const stopped = controlledCommit(order);
    const early = await startTurn(stopped.commit, true, false, order);
    early.turn.abort.abort();
    stopped.settleStored({
      ok: true,
      rows: { sessionId: '', userMessageId: '', turnId: '', duplicate: false },
    });
    stopped.settleBoth({ state: 'committed', reservation: NO_HOLD });
    await early.run;
    // Begun however the turn ended: the send's ack waits for the store.
    expect(order).toContain('begin');
  });

  it('aborts the started call when the hold is refused, bills what it used and ends at the limit', async () => {
    fake.setDefault({ chunks: words(400), chunkDelayMs: 15, structured: CLASSIFICATION });
    const { commit, settleStored, settleBoth } = controlledCommit();
    const { events, run, ids, answerCall } = await startTurn(commit, true);
    await answerCall();
    settleStored({
      ok: true,
      rows: { sessionId: '', userMessageId: '', turnId: '', duplicate: false },
    });
    settleBoth({ state: 'refused', refusal: allowanceExhausted('day', new Date()) });
    const started = Date.now();
    await run;
    // Aborted at once, not after 400 chunks × 15 ms.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events.map((event) => event.name)).toEqual(['chat:turn', 'chat:error']);
    expect(events[1]!.payload).toMatchObject({
      code: 'chat.allowance_exhausted',
      retryable: false,
    });
    const [answer] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.id, ids.answerId));
    expect(answer).toMatchObject({ status: 'error', errorCode: 'chat.allowance_exhausted' });
    const usage = await answerUsage(ids.answerId);
    expect(usage).toMatchObject({ outcome: 'aborted', isEstimate: true });
    expect(usage.inputTokens).toBeGreaterThan(0);
  });

  it('aborts the started call when the store fails, bills it, and tells the client nothing', async () => {
    fake.setDefault({ chunks: words(400), chunkDelayMs: 15, structured: CLASSIFICATION });
    const { commit, settleStored, settleBoth } = controlledCommit();
    const { events, run, ids, answerCall, turn } = await startTurn(commit, false);
    await answerCall();
    settleStored({ ok: false, error: new Error('the store failed') });
    settleBoth({ state: 'not-stored' });
    await run;
    // The send's ack carries the error; no event and no row for a question never stored.
    expect(events).toEqual([]);
    expect(turn.terminal).toBeDefined();
    expect(turn.abort.signal.aborted).toBe(true);
    const rows = await t.database.db.select().from(messages).where(eq(messages.id, ids.answerId));
    expect(rows).toEqual([]);
    const usage = await answerUsage(ids.answerId);
    expect(usage).toMatchObject({ outcome: 'aborted', isEstimate: true });
    expect(usage.inputTokens).toBeGreaterThan(0);
  });

  it('starts a new conversation’s answer beside its store: its calls’ rows wait for the row', async () => {
    fake.setDefault({ chunks: words(20), structured: CLASSIFICATION });
    const { commit, settleStored, settleBoth } = controlledCommit();
    const { events, run, ids, answerCall, session, storeLater } = await startTurn(
      commit,
      false,
      true,
    );
    await answerCall();
    // Both calls (the fake answers at once) end while the conversation does not exist yet.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toEqual([]);
    const stored = await storeLater();
    settleStored({ ok: true, rows: stored });
    settleBoth({ state: 'committed', reservation: NO_HOLD });
    await run;
    expect(events.map((event) => event.name).at(-1)).toBe('chat:done');
    expect(events[0]).toMatchObject({
      name: 'chat:turn',
      payload: { sessionId: session.id, sessionTitle: 'loops' },
    });
    const answer = await answerUsage(ids.answerId);
    expect(answer).toMatchObject({ sessionId: session.id, outcome: 'ok' });
    const classification = await answerUsage(ids.questionId, 'classification');
    expect(classification).toMatchObject({ sessionId: session.id });
  });

  it('bills a new conversation’s calls with no conversation when its store fails', async () => {
    fake.setDefault({ chunks: words(400), chunkDelayMs: 15, structured: CLASSIFICATION });
    const { commit, settleStored, settleBoth } = controlledCommit();
    const { events, run, ids, answerCall, turn } = await startTurn(commit, false, true);
    await answerCall();
    settleStored({ ok: false, error: new Error('the store failed') });
    settleBoth({ state: 'not-stored' });
    await run;
    expect(events).toEqual([]);
    expect(turn.abort.signal.aborted).toBe(true);
    const usage = await answerUsage(ids.answerId);
    expect(usage).toMatchObject({ sessionId: null, outcome: 'aborted', isEstimate: true });
    expect(usage.inputTokens).toBeGreaterThan(0);
  });
});
