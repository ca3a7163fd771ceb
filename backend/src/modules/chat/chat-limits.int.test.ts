import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { usageEvents } from '../../db/schema/index.js';
import { insertUsageEvent } from '../usage/usage.repository.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient, handshakeRefusal } from '../../test/socket-client.js';

const provider = createMockProvider({ name: 'anthropic' });
const ai = { factories: { anthropic: () => provider }, sleep: async () => {} };
const classification = {
  structured: {
    isNewProblem: true,
    isElaborationRequest: false,
    difficulty: { programming: 2, maths: 1 },
    problemSummary: 'x',
  },
};

async function ask(t: TestApp, user: SignedInUser, content = 'What is a variable?') {
  const client = await connectClient(await t.listen(), user.accessToken);
  const ack = (await client.socket
    .timeout(5_000)
    .emitWithAck('chat:send', { clientMessageId: randomUUID(), content } as never)) as {
    ok: boolean;
    turnId: string;
    error?: { code: string; message: string; retryable: boolean };
  };
  if (ack.ok) await client.terminalOf(ack.turnId);
  client.close();
  return ack;
}

describe('limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(
      {
        LLM_PROVIDER: 'anthropic',
        CHAT_TURNS_PER_MINUTE: '2',
        CHAT_DAILY_TOKENS: '500',
        CHAT_MESSAGE_MAX_LENGTH: '200',
        MONTHLY_BUDGET_USD: '10',
        ADMIN_EMAIL: 'teacher@school.example',
      },
      undefined,
      { ai },
    );
    provider.setDefault({
      ...classification,
      text: 'ok',
      usage: { inputTokens: 10, outputTokens: 10 },
    });
  });
  afterAll(async () => {
    provider.setDefault(undefined);
    await t.close();
  });

  it('refuses the third question in a minute with chat.rate_limited, and allows it a minute later', async () => {
    const user = await registerThroughApi(t.app);
    expect((await ask(t, user)).ok).toBe(true);
    expect((await ask(t, user)).ok).toBe(true);
    const third = await ask(t, user);
    expect(third).toMatchObject({
      ok: false,
      error: { code: 'chat.rate_limited', retryable: true },
    });
    t.clock.advance(61_000);
    expect((await ask(t, user)).ok).toBe(true);
  });

  it('refuses with chat.allowance_exhausted once the daily tokens are used, saying when it renews', async () => {
    const user = await registerThroughApi(t.app);
    await insertUsageEvent(t.database.db, {
      userId: user.body.user.id,
      purpose: 'answer',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      inputTokens: 400,
      outputTokens: 100,
      outcome: 'ok',
      createdAt: t.clock(),
    });
    const refused = await ask(t, user);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'chat.allowance_exhausted', retryable: false },
    });
    expect(refused.error?.message).toMatch(/renews/);

    const usage = await request(t.app)
      .get('/api/me/usage')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(200);
    expect(usage.body.day).toMatchObject({ usedTokens: 500, limitTokens: 500 });
    expect(usage.body.tutorAvailable).toBe(true);
  });

  it('refuses too-long questions before storing anything', async () => {
    const user = await registerThroughApi(t.app);
    const refused = await ask(t, user, 'x'.repeat(201));
    expect(refused).toMatchObject({ ok: false, error: { code: 'chat.message_too_long' } });
  });

  it('tells the student’s question box how long a question may be', async () => {
    const user = await registerThroughApi(t.app);
    const usage = await request(t.app)
      .get('/api/me/usage')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(200);
    // The same limit the send above is refused by, not the schema's cap.
    expect(usage.body.messageMaxLength).toBe(200);
  });

  it('stops new turns for everyone at 100 % of the monthly budget; admins see the budget in /api/health/ai', async () => {
    const teacher = await registerAdmin(t, { email: 'teacher@school.example' });
    const student = await registerThroughApi(t.app);
    await insertUsageEvent(t.database.db, {
      userId: null,
      purpose: 'answer',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      costUsd: 8.5,
      outcome: 'ok',
      createdAt: t.clock(),
    });
    const health = await request(t.app)
      .get('/api/health/ai')
      .set('Authorization', `Bearer ${teacher.accessToken}`)
      .expect(200);
    expect(health.body.budget).toMatchObject({ isWarning: true, isExhausted: false });
    expect(health.body.providers[0]).toMatchObject({ name: 'anthropic' });
    const anonymous = await request(t.app).get('/api/health/ai').expect(200);
    expect(anonymous.body).toEqual({ status: 'ok' });

    await insertUsageEvent(t.database.db, {
      userId: null,
      purpose: 'answer',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      costUsd: 2,
      outcome: 'ok',
      createdAt: t.clock(),
    });
    const refused = await ask(t, student);
    expect(refused).toMatchObject({ ok: false, error: { code: 'chat.budget_exhausted' } });
    expect(refused.error?.message).toMatch(/paused for everyone until next month/);
  });
});

describe('without any AI provider', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAIL: 'teacher@school.example' });
  });
  afterAll(() => t.close());

  it('tells students the tutor is not set up and admins what to set, and charges nothing', async () => {
    const student = await registerThroughApi(t.app);
    const teacher = await registerAdmin(t, { email: 'teacher@school.example' });
    const studentAck = await ask(t, student);
    expect(studentAck).toMatchObject({ ok: false, error: { code: 'ai.not_configured' } });
    expect(studentAck.error?.message).toMatch(/Ask your teacher/);
    const teacherAck = await ask(t, teacher);
    expect(teacherAck.error?.message).toMatch(/LLM_PROVIDER/);
    expect(await t.database.db.select().from(usageEvents)).toEqual([]);
    const health = await request(t.app).get('/api/health/ai').expect(200);
    expect(health.body.status).toBe('not_configured');
  });
});

describe('socket authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LLM_PROVIDER: 'anthropic', ACCESS_TOKEN_TTL: '1s' }, undefined, {
      ai,
    });
  });
  afterAll(() => t.close());

  it('refuses a handshake without a token, with a garbage token, and with an expired one, by code', async () => {
    const baseUrl = await t.listen();
    const user = await registerThroughApi(t.app);
    expect(await handshakeRefusal(baseUrl, undefined)).toBe('auth.unauthenticated');
    expect(await handshakeRefusal(baseUrl, 'garbage')).toBe('auth.unauthenticated');
    t.clock.advance(2_000);
    expect(await handshakeRefusal(baseUrl, user.accessToken)).toBe('auth.token_expired');
  });

  it('tells a connected client when its token expires, then disconnects it', async () => {
    const baseUrl = await t.listen();
    const user = await registerThroughApi(t.app);
    const client = await connectClient(baseUrl, user.accessToken);
    const expired = await client.waitFor((event) => event.name === 'auth:expired', 3_000);
    expect(expired.payload).toMatchObject({ code: 'auth.token_expired' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.socket.connected).toBe(false);
  });
});
