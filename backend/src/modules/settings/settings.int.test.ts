import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../ai/providers/mock.js';
import { appSettings, usageEvents } from '../../db/schema/index.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';

const classification = {
  structured: {
    isNewProblem: true,
    isElaborationRequest: false,
    difficulty: { programming: 2, maths: 1 },
    problemSummary: 'x',
  },
};
const anthropic = createMockProvider({ name: 'anthropic' });
const openai = createMockProvider({ name: 'openai' });

async function ask(t: TestApp, user: SignedInUser, content = 'What is a variable?') {
  const client = await connectClient(await t.listen(), user.accessToken);
  const ack = (await client.socket
    .timeout(5_000)
    .emitWithAck('chat:send', { clientMessageId: randomUUID(), content } as never)) as {
    ok: boolean;
    turnId: string;
    error?: { code: string };
  };
  const terminal = ack.ok ? await client.terminalOf(ack.turnId) : undefined;
  client.close();
  return { ack, terminal };
}

describe('AI settings', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let student: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp(
      {
        ADMIN_EMAIL,
        LLM_PROVIDER: 'anthropic',
        OPENAI_API_KEY: 'sk-test',
        CHAT_TURNS_PER_MINUTE: '100',
      },
      undefined,
      {
        ai: {
          factories: { anthropic: () => anthropic, openai: () => openai },
          sleep: async () => {},
        },
      },
    );
    for (const mock of [anthropic, openai]) {
      mock.setDefault({
        ...classification,
        text: `from ${mock.name}`,
        usage: { inputTokens: 5, outputTokens: 5 },
      });
    }
    admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
    student = await registerThroughApi(t.app);
  });
  afterAll(async () => {
    anthropic.setDefault(undefined);
    openai.setDefault(undefined);
    await t.close();
  });

  it('shows the environment as the default, with every available provider', async () => {
    const res = await asUser(t, admin).get('/api/admin/settings').expect(200);
    expect(res.body.settings.chain).toEqual(['anthropic']);
    expect(res.body.defaults.limits.messageMaxLength).toBe(4000);
    expect(res.body.overridden).toEqual({ chain: false, models: false, limits: false });
    const statuses = Object.fromEntries(
      res.body.providers.map((p: { provider: string; isAvailable: boolean }) => [
        p.provider,
        p.isAvailable,
      ]),
    );
    expect(statuses).toMatchObject({ anthropic: true, openai: true, google: false });
  });

  it('applies a new limit and a new chain on the next turn, without a restart', async () => {
    const as = asUser(t, admin);
    expect((await ask(t, student)).terminal?.payload).toMatchObject({ content: 'from anthropic' });

    await as
      .put('/api/admin/settings')
      .send({ chain: ['openai', 'anthropic'], limits: { messageMaxLength: 150 } })
      .expect(200);
    const tooLong = await ask(t, student, 'x'.repeat(200));
    expect(tooLong.ack).toMatchObject({ ok: false, error: { code: 'chat.message_too_long' } });
    expect((await ask(t, student)).terminal?.payload).toMatchObject({ content: 'from openai' });
    const health = await as.get('/api/health/ai').expect(200);
    expect(health.body.providers.map((p: { name: string }) => p.name)).toEqual([
      'openai',
      'anthropic',
    ]);

    // Back to the environment.
    await as.put('/api/admin/settings').send({ chain: null, limits: null }).expect(200);
    expect((await ask(t, student, 'y'.repeat(200))).ack.ok).toBe(true);
    expect((await ask(t, student)).terminal?.payload).toMatchObject({ content: 'from anthropic' });
    const audit = await as.get('/api/admin/audit-log?action=settings.update').expect(200);
    expect(audit.body.entries).toHaveLength(2);
  });

  it('picks up a change another replica wrote once the cache is refreshed', async () => {
    await t.database.db
      .insert(appSettings)
      .values({ key: 'chat.limits', value: { messageMaxLength: 120 } });
    await t.hintbook.settings.reload();
    const tooLong = await ask(t, student, 'z'.repeat(130));
    expect(tooLong.ack).toMatchObject({ ok: false, error: { code: 'chat.message_too_long' } });
    await t.database.db.delete(appSettings).where(eq(appSettings.key, 'chat.limits'));
    await t.hintbook.settings.reload();
  });

  it('refuses a chain with a provider that has no key', async () => {
    const res = await asUser(t, admin)
      .put('/api/admin/settings')
      .send({ chain: ['google'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('settings.provider_unavailable');
  });

  it('refuses a setting it does not know, or nothing at all, instead of saving nothing', async () => {
    const as = asUser(t, admin);
    const misspelt = await as
      .put('/api/admin/settings')
      .send({ limits: { turnsPerMinute: 5, monthlyBudget: 10 } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.code).toBe('validation.failed');
    expect(JSON.stringify(misspelt.body.error.details)).toContain('monthlyBudget');
    const unknownPart = await as.put('/api/admin/settings').send({ providerChain: ['openai'] });
    expect(unknownPart.status).toBe(400);
    expect(JSON.stringify(unknownPart.body.error.details)).toContain('providerChain');
    const empty = await as.put('/api/admin/settings').send({});
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ path: '', message: 'Nothing to update' }]);
    // Nothing of the refused requests was applied.
    const after = await as.get('/api/admin/settings').expect(200);
    expect(after.body.overridden).toEqual({ chain: false, models: false, limits: false });
  });

  it('tests a provider with a tiny real call whose cost is counted, at most 5 a minute', async () => {
    const as = asUser(t, admin);
    const res = await as.post('/api/admin/settings/providers/openai/test').expect(200);
    expect(res.body).toMatchObject({ ok: true, provider: 'openai', model: 'gpt-5-mini' });
    const rows = await t.database.db
      .select({ purpose: usageEvents.purpose, userId: usageEvents.userId })
      .from(usageEvents)
      .where(eq(usageEvents.purpose, 'provider_test'));
    expect(rows).toEqual([{ purpose: 'provider_test', userId: admin.body.user.id }]);
    for (let i = 0; i < 4; i += 1)
      await as.post('/api/admin/settings/providers/openai/test').expect(200);
    const limited = await as.post('/api/admin/settings/providers/openai/test');
    expect(limited.status).toBe(429);
    await as.post('/api/admin/settings/providers/google/test').expect(400);
  });
});

describe('provider error log', () => {
  let t: TestApp;
  const failing = createMockProvider({ name: 'anthropic' });
  beforeAll(async () => {
    t = await createTestApp(
      { ADMIN_EMAIL, LLM_PROVIDER: 'anthropic', LLM_MAX_RETRIES: '0' },
      undefined,
      { ai: { factories: { anthropic: () => failing }, sleep: async () => {} } },
    );
  });
  afterAll(() => t.close());

  it('stores each failed call, marks the one the student saw, and lets an admin resolve it', async () => {
    const admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
    const student = await registerThroughApi(t.app);
    failing.enqueue(classification, { failBeforeFirstToken: 'server', status: 500 });
    const { terminal } = await ask(t, student);
    expect(terminal?.name).toBe('chat:error');
    await t.hintbook.providerErrors.flush();

    const as = asUser(t, admin);
    const list = await as.get('/api/admin/provider-errors').expect(200);
    expect(list.body.unresolvedCount).toBe(1);
    expect(list.body.errors[0]).toMatchObject({
      provider: 'anthropic',
      purpose: 'answer',
      errorKind: 'server',
      status: 500,
      studentSawError: true,
      userId: student.body.user.id,
      resolvedAt: null,
    });
    const id = list.body.errors[0].id as string;
    const resolved = await as.post(`/api/admin/provider-errors/${id}/resolve`).expect(200);
    expect(resolved.body.error.resolvedBy).toBe(admin.body.user.id);
    const after = await as.get('/api/admin/provider-errors').expect(200);
    expect(after.body).toMatchObject({ errors: [], unresolvedCount: 0 });
    const audit = await as.get('/api/admin/audit-log?action=provider_error.resolve').expect(200);
    expect(audit.body.entries[0].targetId).toBe(id);
  });
});
