import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { createModuleInDb } from '../learning/learning.test-helpers.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';

const provider = createMockProvider({ name: 'anthropic' });
let t: TestApp;
let student: SignedInUser;
let other: SignedInUser;
let copyId: string;

beforeAll(async () => {
  t = await createTestApp({ LLM_PROVIDER: 'anthropic' }, undefined, {
    ai: { factories: { anthropic: () => provider }, sleep: async () => {} },
  });
  student = await registerThroughApi(t.app);
  other = await registerThroughApi(t.app);
  const { moduleId } = await createModuleInDb(t.database.db, { notebooks: 1 });
  const module = await request(t.app)
    .get(`/api/modules/${moduleId}`)
    .set('Authorization', `Bearer ${student.accessToken}`)
    .expect(200);
  const notebookId = module.body.module.notebooks[0].id as string;
  const copy = await request(t.app)
    .get(`/api/modules/${moduleId}/notebooks/${notebookId}/copy`)
    .set('Authorization', `Bearer ${student.accessToken}`)
    .expect(200);
  copyId = copy.body.copy?.id ?? copy.body.id;
});
afterAll(() => t.close());

describe('a conversation from the notebook workspace', () => {
  it('belongs to the notebook and shows the tutor the live cell, the error and the module text', async () => {
    provider.enqueue(
      {
        structured: {
          isNewProblem: true,
          isElaborationRequest: false,
          difficulty: { programming: 2, maths: 1 },
          problemSummary: 'index error',
        },
      },
      { text: 'Which index is the last one?' },
    );
    const client = await connectClient(await t.listen(), student.accessToken);
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'Why does this fail?',
      notebook: { kind: 'module_copy', id: copyId },
      context: {
        activeCellSource: 'items = [1, 2, 3]\nprint(items[3])',
        lastError: { ename: 'IndexError', evalue: 'list index out of range' },
      },
    } as never)) as { ok: boolean; sessionId: string; turnId: string };
    expect(ack.ok).toBe(true);
    await client.terminalOf(ack.turnId);

    const answerCall = provider.calls.find((call) => call.kind === 'stream')!;
    const question = answerCall.messages.at(-1)!.content;
    expect(question).toContain('print(items[3])');
    expect(question).toContain('IndexError');
    expect(question).toContain('print("original 1")'); // the module notebook's own text
    expect(answerCall.system).not.toContain('print(items[3])'); // data stays out of the rules

    const sessions = await request(t.app)
      .get(`/api/chat/sessions?notebookId=${copyId}`)
      .set('Authorization', `Bearer ${student.accessToken}`)
      .expect(200);
    expect(sessions.body.sessions).toEqual([
      expect.objectContaining({ id: ack.sessionId, scope: 'module_notebook', notebookId: copyId }),
    ]);
    client.close();
  });

  it('refuses another student’s notebook as if it did not exist', async () => {
    const client = await connectClient(await t.listen(), other.accessToken);
    const ack = await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'Let me in',
      notebook: { kind: 'module_copy', id: copyId },
    } as never);
    expect(ack).toMatchObject({ ok: false, error: { code: 'notebooks.not_found' } });
    client.close();
  });
});
