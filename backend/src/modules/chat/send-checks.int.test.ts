import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { findSendChecks } from './messages.repository.js';
import { findOwnedSession } from './sessions.repository.js';

const CLASSIFICATION = {
  isNewProblem: true,
  isElaborationRequest: false,
  difficulty: { programming: 2, maths: 1 },
  problemSummary: 'a question',
};

let t: TestApp;
let owner: SignedInUser;
let stranger: SignedInUser;
let sessionId: string;
const asked = { question: randomUUID(), answerTurn: '' };
const provider = createMockProvider({ name: 'anthropic' });

beforeAll(async () => {
  t = await createTestApp({ LLM_PROVIDER: 'anthropic' }, undefined, {
    ai: { factories: { anthropic: () => provider }, sleep: async () => {} },
  });
  owner = await registerThroughApi(t.app);
  stranger = await registerThroughApi(t.app);
  const client = await connectClient(await t.listen(), owner.accessToken);
  for (const clientMessageId of [asked.question, randomUUID()]) {
    provider.enqueue({ structured: CLASSIFICATION }, { text: 'An answer' });
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId,
      content: 'Why does my loop never stop?',
      ...(sessionId ? { sessionId } : {}),
    } as never)) as { sessionId: string; turnId: string };
    sessionId = ack.sessionId;
    asked.answerTurn ||= ack.turnId;
    await client.terminalOf(ack.turnId);
  }
  client.close();
});
afterAll(() => t.close());

const userIdOf = (user: SignedInUser) => user.body.user.id;
const longAgo = new Date('2000-01-01T00:00:00Z');

describe('a send’s checks in one statement', () => {
  it('reads the student’s own conversation as findOwnedSession does, and the earlier send with this id', async () => {
    const checks = await findSendChecks(t.database.db, {
      userId: userIdOf(owner),
      sessionId,
      clientMessageId: asked.question,
      since: longAgo,
    });
    // The level and its classification may still be written after the last answer ended.
    const {
      pedagogy: _p,
      updatedAt: _u,
      ...owned
    } = (await findOwnedSession(t.database.db, userIdOf(owner), sessionId))!;
    const { pedagogy, updatedAt, ...read } = checks.session!;
    expect(read).toEqual(owned);
    expect(pedagogy).toBeTruthy();
    expect(updatedAt).toBeInstanceOf(Date);
    expect(checks.earlier).toMatchObject({ role: 'user', sessionId, replyToId: null });
    expect(checks.recentQuestions).toBe(2);
  });

  it('finds neither another student’s conversation nor their sends, and counts only their questions', async () => {
    const checks = await findSendChecks(t.database.db, {
      userId: userIdOf(stranger),
      sessionId,
      clientMessageId: asked.question,
      since: longAgo,
    });
    expect(checks).toEqual({ session: undefined, earlier: undefined, recentQuestions: 0 });
  });

  it('without a conversation named or an earlier send, still counts the questions since the window began', async () => {
    const fresh = await findSendChecks(t.database.db, {
      userId: userIdOf(owner),
      clientMessageId: randomUUID(),
      since: longAgo,
    });
    expect(fresh).toEqual({ session: undefined, earlier: undefined, recentQuestions: 2 });
    const later = await findSendChecks(t.database.db, {
      userId: userIdOf(owner),
      clientMessageId: randomUUID(),
      since: new Date(t.clock().getTime() + 1),
    });
    expect(later.recentQuestions).toBe(0);
  });
});
