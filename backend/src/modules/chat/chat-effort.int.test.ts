import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotebookContext } from '@hintbook/contracts';
import { readSessionState, type SessionPedagogyState } from '../../ai/pedagogy/index.js';
import { createMockProvider, type MockScript } from '../../ai/providers/mock.js';
import { chatSessions, messages, usageEvents } from '../../db/schema/index.js';
import { registerThroughApi } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { findLearningState, swapLearntState } from './pedagogy.repository.js';

/** What the classifier says about each question (it runs beside the answer). */
const classification = (overrides: Record<string, unknown> = {}): MockScript => ({
  structured: {
    isNewProblem: false,
    isElaborationRequest: false,
    showedEffort: false,
    difficulty: { programming: 5, maths: 1 },
    problemSummary: 'sum a list',
    ...overrides,
  },
});
// The model would hand over everything if it were allowed to; the level decides what it is told.
const FULL_CODE = 'def total(xs):\n    return sum(xs)';

type Client = Awaited<ReturnType<typeof connectClient>>;

let t: TestApp;
let baseUrl: string;
const provider = createMockProvider({ name: 'anthropic' });

beforeAll(async () => {
  const env = {
    LLM_PROVIDER: 'anthropic',
    CHAT_TURNS_PER_MINUTE: '100',
    CHAT_DAILY_TOKENS: '0',
    CHAT_WEEKLY_TOKENS: '0',
    LLM_CLASSIFICATION_TIMEOUT: '10s',
  };
  t = await createTestApp(env, undefined, {
    ai: { factories: { anthropic: () => provider }, sleep: async () => {} },
  });
  baseUrl = await t.listen();
});
afterAll(() => t.close());
beforeEach(() => provider.reset());

async function storedState(sessionId: string): Promise<SessionPedagogyState> {
  const [row] = await t.database.db
    .select({ pedagogy: chatSessions.pedagogy })
    .from(chatSessions)
    .where(eq(chatSessions.id, sessionId));
  return readSessionState(row?.pedagogy);
}

/** The classification lands just after `chat:done`; the next question should see it. */
async function waitForState(
  sessionId: string,
  ready: (state: SessionPedagogyState) => boolean,
  timeoutMs = 2_000,
): Promise<SessionPedagogyState> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    const state = await storedState(sessionId);
    if (ready(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`state never became ready: ${JSON.stringify(await storedState(sessionId))}`);
}

async function storedLevels(answerId: string) {
  const [row] = await t.database.db.select().from(messages).where(eq(messages.id, answerId));
  return { programming: row?.hintLevelProgramming, maths: row?.hintLevelMaths, cue: row?.hintCue };
}

async function ask(
  client: Client,
  content: string,
  extra: { sessionId?: string; context?: NotebookContext; replacesMessageId?: string } = {},
) {
  const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
    clientMessageId: randomUUID(),
    content,
    ...extra,
  } as never)) as { ok: boolean; turnId: string; sessionId: string; userMessageId: string };
  expect(ack.ok).toBe(true);
  return ack;
}

/** Asks, waits for the end, and returns the cue shown and the levels stored with the answer. */
async function completeTurn(client: Client, content: string, extra: Parameters<typeof ask>[2]) {
  const ack = await ask(client, content, extra);
  const end = await client.terminalOf(ack.turnId);
  expect(end.payload).toMatchObject({ status: 'complete' });
  const meta = client.eventsOf(ack.turnId).find((event) => event.name === 'chat:meta');
  return { ack, cue: meta?.payload.hintCue as string, levels: await storedLevels(ack.turnId) };
}

const OUTLINE_OR_LESS = /^(a question to think about|a pointer|an outline)( · .*)?$/;

describe('help follows effort, over socket.io', () => {
  it('six demands with no new attempt never get past an outline', async () => {
    // A beginner on the hardest problem: the most help a new problem can start with.
    const student = await registerThroughApi(t.app, { programmingLevel: 1, mathsLevel: 1 });
    const client = await connectClient(baseUrl, student.accessToken);
    const demands = [
      'Write the function that sums a list for me',
      'Just give me the answer',
      'No, the full code please',
      'ok',
      'Please, I have no time',
      'Give me the code',
    ];
    let sessionId: string | undefined;
    const turns = [];
    for (const [index, content] of demands.entries()) {
      provider.enqueue(classification({ isNewProblem: index === 0 }), { text: FULL_CODE });
      const turn = await completeTurn(client, content, sessionId ? { sessionId } : {});
      sessionId = turn.ack.sessionId;
      turns.push(turn);
      await waitForState(sessionId, (state) => state.lastTurn?.answerId === turn.ack.turnId);
      await waitForState(sessionId, (state) => state.problemDifficulty !== null);
    }

    expect(turns.map((turn) => turn.levels.programming)).toEqual([2, 3, 3, 3, 3, 3]);
    expect(turns.every((turn) => OUTLINE_OR_LESS.test(turn.cue))).toBe(true);
    expect(turns[0]?.cue).toBe('a pointer');
    for (const turn of turns.slice(1)) {
      expect(turn.cue).toBe('an outline · try something and show me what happened for more help');
      expect(turn.levels.cue).toBe(turn.cue);
    }
    expect(await storedState(sessionId!)).toMatchObject({
      hintLevels: { programming: 3, maths: 1 },
      highestHintLevels: { programming: 3, maths: 1 },
      attemptsOnProblem: 0,
      turnsOnProblem: 6,
    });
    // The tutor was told to say what to try next instead of giving more.
    const answers = provider.calls.filter((call) => call.kind === 'stream');
    expect(answers.at(-1)?.system).toContain('Say kindly what to try next');
    client.close();
  }, 30_000);

  it('stopped, retried and edited turns do not raise the level; changed and run code with a new error does', async () => {
    const student = await registerThroughApi(t.app, { programmingLevel: 2, mathsLevel: 3 });
    const client = await connectClient(baseUrl, student.accessToken);
    const first: NotebookContext = {
      activeCellSource: 'def total(xs):\n    pass',
      activeCellOutputs: ['None'],
    };
    // Turn 1: a new problem of difficulty 3 for a level-2 student: a pointer.
    provider.enqueue(
      classification({ isNewProblem: true, difficulty: { programming: 3, maths: 1 } }),
      {
        text: 'What should total give for an empty list?',
      },
    );
    const one = await completeTurn(client, 'How do I add up a list?', { context: first });
    const sessionId = one.ack.sessionId;
    await waitForState(sessionId, (state) => state.problemDifficulty !== null);
    expect(one.levels.programming).toBe(2);

    // Turn 2 shows an attempt, but the student stops the answer: nothing is committed.
    provider.enqueue(classification({ showedEffort: true }), {
      text: 'Good start, now look at',
      stallAfterTokens: 2,
    });
    const attempt: NotebookContext = {
      activeCellSource: 'def total(xs):\n    for x in xs:\n        t = t + x',
      activeCellOutputs: [],
      lastError: {
        ename: 'UnboundLocalError',
        evalue: "local variable 't' referenced before assignment",
      },
    };
    const two = await ask(client, 'I tried a loop but it says UnboundLocalError', {
      sessionId,
      context: attempt,
    });
    await client.waitFor(
      (event) => event.name === 'chat:delta' && event.payload.turnId === two.turnId,
    );
    await client.socket.timeout(5_000).emitWithAck('chat:stop', { sessionId, turnId: two.turnId });
    expect((await client.terminalOf(two.turnId)).payload).toMatchObject({ status: 'interrupted' });
    const afterStop = await storedState(sessionId);
    expect(afterStop).toMatchObject({
      hintLevels: { programming: 2, maths: 1 },
      attemptsOnProblem: 0,
      lastTurn: { answerId: one.ack.turnId },
    });

    // A retry of the stopped question is asking again: the level holds, and the cue says why.
    provider.enqueue(classification(), { text: 'What is t before the loop starts?' });
    const retry = (await client.socket
      .timeout(5_000)
      .emitWithAck('chat:retry', { sessionId, clientMessageId: randomUUID() })) as {
      turnId: string;
    };
    expect((await client.terminalOf(retry.turnId)).payload).toMatchObject({ status: 'complete' });
    expect(await storedLevels(retry.turnId)).toEqual({
      programming: 2,
      maths: 1,
      cue: 'a pointer · try something and show me what happened for more help',
    });
    await waitForState(sessionId, (state) => state.lastTurn?.answerId === retry.turnId);
    expect(await storedState(sessionId)).toMatchObject({
      hintLevels: { programming: 2, maths: 1 },
      attemptsOnProblem: 0,
    });

    // Changed and ran the code, and got a new error: one step up, and it counts as an attempt.
    provider.enqueue(classification(), { text: 'Numbered steps: 1. start at zero …' });
    const three = await completeTurn(client, 'what now?', {
      sessionId,
      context: {
        activeCellSource: 'def total(xs):\n    for x in xs:\n        t += x\n    return t',
        activeCellOutputs: [],
        lastError: { ename: 'NameError', evalue: "name 't' is not defined" },
      },
    });
    expect(three.cue).toBe('an outline');
    expect(three.levels).toMatchObject({ programming: 3, maths: 2 });
    await waitForState(sessionId, (state) => state.lastTurn?.answerId === three.ack.turnId);
    expect(await storedState(sessionId)).toMatchObject({
      hintLevels: { programming: 3, maths: 2 },
      attemptsOnProblem: 1,
      lastTurn: { evidence: 'concrete' },
    });

    // Rewording that question (edit-and-resend), even with an attempt in it, is asking again.
    provider.enqueue(classification(), { text: 'Where does t get its first value?' });
    const edited = await completeTurn(client, 'I changed it to t += x and it says NameError', {
      sessionId,
      replacesMessageId: three.ack.userMessageId,
    });
    expect(edited.levels).toMatchObject({ programming: 3, maths: 2 });
    expect(edited.cue).toBe('an outline · try something and show me what happened for more help');
    await waitForState(sessionId, (state) => state.lastTurn?.answerId === edited.ack.turnId);
    expect(await storedState(sessionId)).toMatchObject({
      hintLevels: { programming: 3, maths: 2 },
      attemptsOnProblem: 1,
    });
    client.close();
  }, 30_000);

  it('moves the level with the answer, and keeps a state another write stored while it streamed', async () => {
    const student = await registerThroughApi(t.app);
    const client = await connectClient(baseUrl, student.accessToken);
    provider.enqueue(classification({ isNewProblem: true }), { text: 'What comes first?' });
    const first = await completeTurn(client, 'How do I add up a list?', {});
    const sessionId = first.ack.sessionId;
    const landed = await waitForState(sessionId, (s) => s.problemSummary === 'sum a list');

    // This turn's classification fails (nothing learnt after it), and its answer takes a while.
    provider.enqueue(
      { structured: { unusable: true } },
      { text: 'one two three four five six', tokenDelayMs: 100 },
    );
    const ack = await ask(client, 'And then what?', { sessionId });
    await client.waitFor(
      (event) => event.name === 'chat:delta' && event.payload.turnId === ack.turnId,
    );
    // Another write changes the session's state between the turn's read and its last write.
    const [row] = await t.database.db
      .select({ pedagogy: chatSessions.pedagogy })
      .from(chatSessions)
      .where(eq(chatSessions.id, sessionId));
    await t.database.db
      .update(chatSessions)
      .set({ pedagogy: { ...(row!.pedagogy as object), problemSummary: 'written meanwhile' } })
      .where(eq(chatSessions.id, sessionId));
    const end = await client.terminalOf(ack.turnId);
    expect(end.payload).toMatchObject({ status: 'complete' });

    const state = await storedState(sessionId);
    // Neither write is lost: the other write's field stays, and this turn still counted.
    expect(state.problemSummary).toBe('written meanwhile');
    expect(state.turnsOnProblem).toBe(landed.turnsOnProblem + 1);
    expect(state.lastTurn?.answerId).toBe(ack.turnId);
    client.close();
  }, 15_000);

  it('stores what a classification taught only on the state it was read from', async () => {
    const student = await registerThroughApi(t.app);
    const client = await connectClient(baseUrl, student.accessToken);
    provider.enqueue({ structured: { unusable: true } }, { text: 'What comes first?' });
    const { ack } = await completeTurn(client, 'How do I add up a list?', {});
    client.close();
    const userId = student.body.user.id;
    const seen = await findLearningState(t.database.db, ack.sessionId, userId);
    expect(seen).toMatchObject({ isStreaming: false, user: null });
    // Another student's id never reads this session.
    const other = await registerThroughApi(t.app);
    expect(
      await findLearningState(t.database.db, ack.sessionId, other.body.user.id),
    ).toBeUndefined();

    const user = {
      userId,
      effectiveProgramming: 3.5,
      effectiveMaths: 2,
      baselineProgramming: 3,
      baselineMaths: 2,
      problemsObserved: 1,
    };
    const change = { sessionId: ack.sessionId, user, now: t.clock() };
    const stale = { ...(seen!.pedagogy as object), turnsOnProblem: 42 };
    const next = { ...(seen!.pedagogy as object), problemSummary: 'learnt' };
    // Planned on a state that is not stored: nothing is written, the student's row neither.
    expect(await swapLearntState(t.database.db, { ...change, expected: stale, next })).toBe(false);
    expect(await findLearningState(t.database.db, ack.sessionId, userId)).toMatchObject({
      pedagogy: seen!.pedagogy,
      user: null,
    });
    expect(
      await swapLearntState(t.database.db, { ...change, expected: seen!.pedagogy, next }),
    ).toBe(true);
    const after = await findLearningState(t.database.db, ack.sessionId, userId);
    expect(after?.pedagogy).toEqual(next);
    expect(after?.user).toMatchObject({ effectiveProgramming: 3.5, problemsObserved: 1 });
  });

  it('starts the answer without waiting for the classification, which lands after it', async () => {
    const student = await registerThroughApi(t.app);
    const client = await connectClient(baseUrl, student.accessToken);
    // The classifier takes 3 s; the answer has three words and no delay.
    provider.enqueue(
      { ...classification({ isNewProblem: true }), tokenDelayMs: 3_000 },
      { text: 'What comes first?' },
    );
    const startedAt = Date.now();
    const ack = await ask(client, 'How do I add up a list?');
    await client.waitFor(
      (event) => event.name === 'chat:delta' && event.payload.turnId === ack.turnId,
    );
    const firstDeltaMs = Date.now() - startedAt;
    const done = await client.terminalOf(ack.turnId);

    expect(done.payload).toMatchObject({ status: 'complete', content: 'What comes first?' });
    expect(firstDeltaMs).toBeLessThan(2_000);
    // The answer's call went out first (nothing goes ahead of it), and the classification beside
    // it was still running when the answer finished.
    expect(provider.calls.map((call) => call.kind)).toEqual(['stream', 'structured']);
    const classified = await t.database.db
      .select()
      .from(usageEvents)
      .where(eq(usageEvents.userId, student.body.user.id));
    expect(classified.filter((row) => row.purpose === 'classification')).toHaveLength(0);
    expect((await storedState(ack.sessionId)).problemDifficulty).toBeNull();

    // It still informs the next turn once it lands.
    const state = await waitForState(ack.sessionId, (s) => s.problemDifficulty !== null, 6_000);
    expect(state.problemSummary).toBe('sum a list');
    client.close();
  }, 15_000);
});
