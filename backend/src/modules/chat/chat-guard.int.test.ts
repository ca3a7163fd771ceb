import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GUARD_FALLBACK_ANSWER, GUARD_RETRY_INSTRUCTION } from '../../ai/pedagogy/index.js';
import { createMockProvider, type MockProvider } from '../../ai/providers/mock.js';
import { answerGuardTrips, messages, usageEvents } from '../../db/schema/index.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient, type RecordedEvent } from '../../test/socket-client.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';
import { findOwnedSession, updateSessionPedagogy } from './sessions.repository.js';

/** What a model that ignores the hint rules writes: a chatty line, then the whole solution. */
const FULL_SOLUTION = `Sure! Here is the complete solution:

\`\`\`python
def sum_list(xs):
    total = 0
    for x in xs:
        total += x
    return total
\`\`\``;
const LEAKED_LINES = ['def sum_list', 'total = 0', 'for x in xs', 'total += x', 'return total'];
const HINT = 'What should happen to each number as you walk through the list?';
// A classification that does not parse: the level then holds (2 on a session's first turn), so
// these tests do not depend on how levels climb.
const FAILED_CLASSIFICATION = { structured: { unexpected: true } };

let t: TestApp;
let baseUrl: string;
let model: MockProvider;
let student: SignedInUser;
let admin: SignedInUser;

beforeAll(async () => {
  model = createMockProvider({ name: 'anthropic' });
  t = await createTestApp(
    { LLM_PROVIDER: 'anthropic', ADMIN_EMAIL, CHAT_TURNS_PER_MINUTE: '100' },
    undefined,
    { ai: { factories: { anthropic: () => model }, sleep: async () => {} } },
  );
  baseUrl = await t.listen();
  student = await registerThroughApi(t.app, { programmingLevel: 2 });
  admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
});
afterAll(() => t.close());
beforeEach(() => model.reset());

async function ask(content: string, sessionId?: string) {
  const client = await connectClient(baseUrl, student.accessToken);
  const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
    clientMessageId: randomUUID(),
    content,
    ...(sessionId ? { sessionId } : {}),
  } as never)) as { ok: true; turnId: string; sessionId: string };
  const terminal = await client.terminalOf(ack.turnId);
  const deltas = client.eventsOf(ack.turnId).filter((event) => event.name === 'chat:delta');
  client.close();
  const [stored] = await t.database.db.select().from(messages).where(eq(messages.id, ack.turnId));
  return { ...ack, terminal, deltas, stored: stored! };
}

/** What a client shows: deltas appended in order, a `replace` delta starting afresh. */
function shownText(deltas: RecordedEvent[]): string {
  return deltas.reduce(
    (text, event) => (event.payload.replace ? '' : text) + (event.payload.text as string),
    '',
  );
}

async function historyOf(sessionId: string): Promise<Array<{ role: string; content: string }>> {
  const response = await asUser(t, student).get(`/api/chat/sessions/${sessionId}/messages`);
  expect(response.status).toBe(200);
  return response.body.messages;
}

async function guardTripCount() {
  const response = await asUser(t, admin).get('/api/admin/usage/guard-trips').expect(200);
  return response.body as {
    total: number;
    byReason: { code_lines: number; solution_overlap: number };
    fallbacks: number;
  };
}

describe('the answer guard over socket.io', () => {
  it('never lets a model that always answers with the full solution reach the student below part of the code', async () => {
    const before = await guardTripCount();
    model.enqueue(FAILED_CLASSIFICATION);
    model.setDefault({ text: FULL_SOLUTION, tokenDelayMs: 1 });

    const turn = await ask('Write the function that sums a list for me');

    expect(turn.stored.hintLevelProgramming).toBeLessThan(4);
    // Not one delta carries a line of the solution, and neither does all of them together.
    const everything = turn.deltas.map((event) => event.payload.text as string).join('');
    for (const line of LEAKED_LINES) {
      expect(everything).not.toContain(line);
      expect(turn.terminal.payload.content).not.toContain(line);
      expect(turn.stored.content).not.toContain(line);
    }
    expect(turn.terminal).toMatchObject({ name: 'chat:done', payload: { status: 'complete' } });
    expect(turn.terminal.payload.content).toBe(GUARD_FALLBACK_ANSWER);
    expect(shownText(turn.deltas)).toBe(GUARD_FALLBACK_ANSWER);
    expect(turn.stored).toMatchObject({ status: 'complete', content: GUARD_FALLBACK_ANSWER });
    const history = await historyOf(turn.sessionId);
    expect(history.at(-1)).toMatchObject({ role: 'assistant', content: GUARD_FALLBACK_ANSWER });
    expect(JSON.stringify(history)).not.toContain('total += x');

    // The model was asked once more, with the stricter rule, before the fallback.
    const answers = model.calls.filter((call) => call.kind === 'stream');
    expect(answers).toHaveLength(2);
    expect(answers[0]!.system).not.toContain(GUARD_RETRY_INSTRUCTION);
    expect(answers[1]!.system).toContain(GUARD_RETRY_INSTRUCTION);

    const trips = await t.database.db
      .select()
      .from(answerGuardTrips)
      .where(eq(answerGuardTrips.messageId, turn.turnId));
    expect(trips.map((trip) => [trip.attempt, trip.reason, trip.hintLevel])).toEqual([
      [1, 'code_lines', turn.stored.hintLevelProgramming],
      [2, 'code_lines', turn.stored.hintLevelProgramming],
    ]);
    expect(trips.every((trip) => trip.userId === turn.stored.userId)).toBe(true);

    // Both rejected calls were paid for, so both are counted, with the vendor's token counts.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const usage = await t.database.db
      .select()
      .from(usageEvents)
      .where(and(eq(usageEvents.messageId, turn.turnId), eq(usageEvents.purpose, 'answer')));
    expect(usage).toHaveLength(2);
    expect(usage.every((row) => row.outcome === 'aborted' && row.outputTokens > 0)).toBe(true);

    const after = await guardTripCount();
    expect(after.total - before.total).toBe(2);
    expect(after.byReason.code_lines - before.byReason.code_lines).toBe(2);
    expect(after.fallbacks - before.fallbacks).toBe(1);
  });

  it('replaces the shown start of a rejected draft with the regenerated hint', async () => {
    model.enqueue(FAILED_CLASSIFICATION, { text: FULL_SOLUTION, tokenDelayMs: 1 }, { text: HINT });

    const turn = await ask('Just give me the answer');

    // The chatty first line went out before the code began, so the hint must replace it.
    expect(turn.deltas[0]!.payload.text).toContain('Sure!');
    const replacing = turn.deltas.filter((event) => event.payload.replace === true);
    expect(replacing).toHaveLength(1);
    expect(shownText(turn.deltas)).toBe(HINT);
    expect(turn.terminal.payload.content).toBe(HINT);
    expect(turn.stored.content).toBe(HINT);
    expect(turn.stored.provider).toBe('anthropic');
    const trips = await t.database.db
      .select()
      .from(answerGuardTrips)
      .where(eq(answerGuardTrips.messageId, turn.turnId));
    expect(trips).toHaveLength(1);
  });

  it('lets code through at part of the code and above', async () => {
    model.enqueue(FAILED_CLASSIFICATION, { text: HINT });
    const first = await ask('How do I sum a list?');
    const session = await findOwnedSession(t.database.db, first.stored.userId, first.sessionId);
    // Stored as the level rules leave them after three attempts with work to show (an outline);
    // quoting an error is one more, so this turn climbs to level 4: code-level help is earned.
    await updateSessionPedagogy(t.database.db, first.sessionId, {
      ...(session!.pedagogy as Record<string, unknown>),
      hintLevels: { programming: 3, maths: 3 },
      highestHintLevels: { programming: 3, maths: 3 },
      attemptsOnProblem: 3,
    });
    model.enqueue(FAILED_CLASSIFICATION, { text: FULL_SOLUTION });

    const turn = await ask(
      'I tried a loop and it still fails: TypeError: can only concatenate str (not "int") to str',
      first.sessionId,
    );

    expect(turn.stored.hintLevelProgramming).toBe(4);
    expect(turn.terminal.payload.content).toContain('total += x');
    expect(shownText(turn.deltas)).toBe(turn.terminal.payload.content);
    expect(turn.deltas.some((event) => event.payload.replace)).toBe(false);
    const trips = await t.database.db
      .select()
      .from(answerGuardTrips)
      .where(eq(answerGuardTrips.messageId, turn.turnId));
    expect(trips).toHaveLength(0);
  });
});
