import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactionCounts } from '../../db/schema/index.js';
import { startFakeOpenAI, type FakeServer } from '../../test/fake-providers/index.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';

/** Planted in the student's message and notebook; none may reach the provider. */
const PLANTED = {
  username: 'mkowalski',
  email: 'maya.kowalski@school.example',
  phone: '+48 601 234 567',
  friend: 'ola.nowak@gmail.com',
  openaiKey: 'sk-proj-PLANTEDa1b2c3d4e5f6g7h8i9j0',
  githubToken: 'ghp_PLANTED0123456789abcdefghijABCDEFGHIJ',
  outputEmail: 'jan@uni-wroclaw.pl',
  errorPhone: '030 1234567',
};

const QUESTION =
  `Hi, I'm ${PLANTED.username} (${PLANTED.email}, ${PLANTED.phone}). ` +
  `My friend ${PLANTED.friend} says my key ${PLANTED.openaiKey} should not be in my code. Why?`;

const NOTEBOOK = {
  activeCellSource: `GITHUB_TOKEN = "${PLANTED.githubToken}"\nsend_report("${PLANTED.outputEmail}")`,
  activeCellOutputs: [`Sending to ${PLANTED.outputEmail} as ${PLANTED.username}…`],
  lastError: {
    ename: 'ConnectionError',
    evalue: `could not reach ${PLANTED.errorPhone}`,
    traceback: `File "/home/${PLANTED.username}/report.py", line 2`,
  },
};

/**
 * The model repeats placeholders, split across stream chunks the way tokens split them. Numbers
 * follow the order of first appearance in the turn: the question first, then the notebook.
 */
const MODEL_CHUNKS = [
  'Good question, ⟦STU',
  'DENT_NAME⟧! Anyone who sees ⟦SECR',
  'ET_1⟧ can spend your credit, and ⟦',
  'SECRET_2⟧ too. Ask ⟦EMAIL_2⟧ to delete it, and n',
  'ever post ⟦PHONE_1⟧ either. What could read the key from the environment instead?',
];
const SHOWN =
  `Good question, ${PLANTED.username}! Anyone who sees ${PLANTED.openaiKey} can spend your ` +
  `credit, and ${PLANTED.githubToken} too. Ask ${PLANTED.friend} to delete it, and never post ` +
  `${PLANTED.phone} either. What could read the key from the environment instead?`;

let fake: FakeServer;
let t: TestApp;
let student: SignedInUser;
let admin: SignedInUser;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  t = await createTestApp(
    {
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseUrl,
      ADMIN_EMAIL,
    },
    undefined,
    { ai: { sleep: async () => {} } },
  );
  admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: `teacher${Date.now()}` });
  student = await registerThroughApi(t.app, { username: PLANTED.username, email: PLANTED.email });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

describe('privacy before the provider, through the real OpenAI SDK', () => {
  let sessionId: string;
  let turnId: string;
  let deltas: string[];
  let done: Record<string, unknown>;

  beforeAll(async () => {
    // Both the classification (unary, structured) and the answer (streamed) use this script.
    fake.setDefault({
      chunks: MODEL_CHUNKS,
      structured: {
        isNewProblem: true,
        isElaborationRequest: false,
        difficulty: { programming: 2, maths: 1 },
        problemSummary: 'a key in code',
      },
    });
    const client = await connectClient(await t.listen(), student.accessToken);
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: QUESTION,
      context: NOTEBOOK,
    } as never)) as { ok: boolean; sessionId: string; turnId: string };
    expect(ack.ok).toBe(true);
    ({ sessionId, turnId } = ack);
    const terminal = await client.terminalOf(turnId);
    expect(terminal.name).toBe('chat:done');
    done = terminal.payload;
    deltas = client
      .eventsOf(turnId)
      .filter((event) => event.name === 'chat:delta')
      .map((event) => event.payload.text as string);
    client.close();
  });

  it('sends the provider no name, email, phone number or key from the message or notebook', () => {
    const sent = fake.calls.map((call) => JSON.stringify(call.body));
    expect(sent.length).toBeGreaterThanOrEqual(2); // the answer and the classification
    for (const body of sent) {
      for (const value of Object.values(PLANTED)) expect(body).not.toContain(value);
      expect(body).not.toContain('601 234 567');
      expect(body).not.toContain('sk-test'); // (the server's own key travels in a header only)
    }
    const answer = fake.calls.find((call) => (call.body as { stream?: boolean }).stream)!;
    const userTurn = JSON.stringify(answer.body);
    for (const placeholder of [
      '⟦STUDENT_NAME⟧',
      '⟦STUDENT_EMAIL⟧',
      '⟦PHONE_1⟧',
      '⟦EMAIL_2⟧',
      '⟦SECRET_1⟧',
      '⟦SECRET_2⟧',
      '⟦EMAIL_3⟧',
      '⟦PHONE_2⟧',
    ])
      expect(userTurn).toContain(placeholder);
  });

  it('streams the answer with the student’s values back, never half a placeholder', () => {
    expect(deltas.join('')).toBe(SHOWN);
    for (const delta of deltas) expect(delta).not.toContain('⟦');
    expect(done.content).toBe(SHOWN);
  });

  it('stores the restored answer and shows it in the history', async () => {
    const history = await asUser(t, student)
      .get(`/api/chat/sessions/${sessionId}/messages`)
      .expect(200);
    const messages = history.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((message) => message.content)).toEqual([QUESTION, SHOWN]);
  });

  it('shows admins how many values of each kind were withheld, and not the values', async () => {
    // Counts are stored when the turn has ended, after the summary it may run: wait for them.
    const privacyReport = () =>
      request(t.app)
        .get('/api/admin/usage/privacy')
        .set('Authorization', `Bearer ${admin.accessToken}`)
        .expect(200);
    await expect
      .poll(async () => (await privacyReport()).body.answers, { timeout: 10_000 })
      .toBe(1);
    const report = await privacyReport();
    expect(report.body).toMatchObject({
      redactionKinds: ['name', 'email', 'phone', 'secret'],
      answers: 1,
      redactions: { name: 1, email: 3, phone: 2, secret: 2 },
      chatRetentionDays: null,
    });
    expect(JSON.stringify(report.body)).not.toContain(PLANTED.friend);
  });
});

describe('the student’s data', () => {
  it('exports the redaction counts with the account, without the values', async () => {
    const exported = await asUser(t, student).get('/api/auth/me/export').expect(200);
    expect(exported.body.redactions).toEqual([
      expect.objectContaining({ names: 1, emails: 3, phones: 2, secrets: 2 }),
    ]);
    expect(exported.body.guardTrips).toEqual([]);
  });

  it('keeps the counts for admins, unlinked, when the account is deleted', async () => {
    await asUser(t, student)
      .delete('/api/auth/me')
      .send({ password: student.credentials.password })
      .expect(204);
    const rows = await t.database.db.select().from(redactionCounts);
    expect(rows).toEqual([expect.objectContaining({ userId: null, sessionId: null, emails: 3 })]);
  });
});
