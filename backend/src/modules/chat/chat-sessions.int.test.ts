import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';

const CLASSIFICATION = {
  isNewProblem: true,
  isElaborationRequest: false,
  difficulty: { programming: 2, maths: 1 },
  problemSummary: 'a question',
};

let t: TestApp;
let owner: SignedInUser;
let stranger: SignedInUser;
const provider = createMockProvider({ name: 'anthropic' });

beforeAll(async () => {
  t = await createTestApp({ LLM_PROVIDER: 'anthropic' }, undefined, {
    ai: { factories: { anthropic: () => provider }, sleep: async () => {} },
  });
  owner = await registerThroughApi(t.app);
  stranger = await registerThroughApi(t.app);
});
afterAll(() => t.close());

const as = (user: SignedInUser) => ({ Authorization: `Bearer ${user.accessToken}` });

/** Asks `count` questions in one new session through the socket and waits for each answer. */
async function conversation(user: SignedInUser, questions: string[]) {
  const client = await connectClient(await t.listen(), user.accessToken);
  let sessionId: string | undefined;
  for (const content of questions) {
    provider.enqueue({ structured: CLASSIFICATION }, { text: `Answer to ${content}` });
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content,
      ...(sessionId ? { sessionId } : {}),
    } as never)) as {
      sessionId: string;
      turnId: string;
    };
    sessionId = ack.sessionId;
    await client.terminalOf(ack.turnId);
  }
  client.close();
  return sessionId!;
}

describe('conversations over REST', () => {
  it('lists the caller’s sessions, titled from the first question, and searches by title', async () => {
    await conversation(owner, ['Why does my while loop never stop?']);
    await conversation(owner, ['What is a dictionary?']);
    const all = await request(t.app).get('/api/chat/sessions').set(as(owner)).expect(200);
    expect(all.body.sessions.map((s: { title: string }) => s.title)).toEqual([
      'What is a dictionary?',
      'Why does my while loop never stop?',
    ]);
    const found = await request(t.app).get('/api/chat/sessions?q=LOOP').set(as(owner)).expect(200);
    expect(found.body.sessions).toHaveLength(1);
    const none = await request(t.app).get('/api/chat/sessions').set(as(stranger)).expect(200);
    expect(none.body.sessions).toEqual([]);
  });

  it('pages through messages oldest first with a cursor', async () => {
    const sessionId = await conversation(owner, ['q1', 'q2', 'q3']);
    const newest = await request(t.app)
      .get(`/api/chat/sessions/${sessionId}/messages?limit=4`)
      .set(as(owner))
      .expect(200);
    expect(newest.body.messages.map((m: { content: string }) => m.content)).toEqual([
      'q2',
      'Answer to q2',
      'q3',
      'Answer to q3',
    ]);
    expect(newest.body.messages[0]).not.toHaveProperty('provider');
    const older = await request(t.app)
      .get(`/api/chat/sessions/${sessionId}/messages?limit=4&before=${newest.body.nextCursor}`)
      .set(as(owner))
      .expect(200);
    expect(older.body.messages.map((m: { content: string }) => m.content)).toEqual([
      'q1',
      'Answer to q1',
    ]);
    expect(older.body.nextCursor).toBeNull();
  });

  it('renames and deletes, and another student’s session is a 404 for every verb', async () => {
    const sessionId = await conversation(owner, ['private question']);
    for (const [method, body] of [
      ['get', undefined],
      ['patch', { title: 'mine now' }],
      ['delete', undefined],
    ] as const) {
      const path =
        method === 'get'
          ? `/api/chat/sessions/${sessionId}/messages`
          : `/api/chat/sessions/${sessionId}`;
      const response = await request(t.app)[method](path).set(as(stranger)).send(body);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('chat.session_not_found');
    }
    await request(t.app).get('/api/chat/sessions/not-a-uuid/messages').set(as(owner)).expect(404);

    const renamed = await request(t.app)
      .patch(`/api/chat/sessions/${sessionId}`)
      .set(as(owner))
      .send({ title: '  Loops homework  ' })
      .expect(200);
    expect(renamed.body.session.title).toBe('Loops homework');
    await request(t.app)
      .patch(`/api/chat/sessions/${sessionId}`)
      .set(as(owner))
      .send({ title: '' })
      .expect(400);
    await request(t.app).delete(`/api/chat/sessions/${sessionId}`).set(as(owner)).expect(204);
    await request(t.app).get(`/api/chat/sessions/${sessionId}/messages`).set(as(owner)).expect(404);
  });

  it('includes conversations in the data export and removes them with the account', async () => {
    const user = await registerThroughApi(t.app);
    await conversation(user, ['export me']);
    const exported = await request(t.app).get('/api/auth/me/export').set(as(user)).expect(200);
    expect(
      exported.body.conversations[0].messages.map((m: { content: string }) => m.content),
    ).toEqual(['export me', 'Answer to export me']);
    expect(exported.body.usage.length).toBeGreaterThan(0);
  });
});
