import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERCENTILE_MIN_COUNT, systemMetricsResponseSchema } from '@hintbook/contracts';
import { createMockProvider } from '../../ai/providers/mock.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';

const ADMIN_EMAIL = 'operator@school.example';

describe('the admin System page data (GET /api/admin/system/metrics)', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let student: SignedInUser;

  beforeAll(async () => {
    const model = createMockProvider({ name: 'anthropic' });
    t = await createTestApp({ LLM_PROVIDER: 'anthropic', ADMIN_EMAIL }, undefined, {
      ai: { factories: { anthropic: () => model }, sleep: async () => {} },
    });
    admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'operator' });
    student = await registerThroughApi(t.app);
  });
  afterAll(() => t.close());

  const get = (user: SignedInUser) =>
    request(t.app)
      .get('/api/admin/system/metrics')
      .set('Authorization', `Bearer ${user.accessToken}`);

  it('is for admins only', async () => {
    await get(student).expect(403);
    await request(t.app).get('/api/admin/system/metrics').expect(401);
  });

  it('gives percentiles per endpoint and provider, error rates and first tokens from this process', async () => {
    const client = await connectClient(await t.listen(), student.accessToken);
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'How do I reverse a list?',
    } as never)) as { turnId: string };
    expect((await client.terminalOf(ack.turnId)).name).toBe('chat:done');
    client.close();
    for (let i = 0; i < PERCENTILE_MIN_COUNT.p95Ms; i++)
      await request(t.app)
        .get('/api/chat/sessions')
        .set('Authorization', `Bearer ${student.accessToken}`)
        .expect(200);

    const response = await get(admin).expect(200);
    const report = systemMetricsResponseSchema.parse(response.body);
    expect(report).toMatchObject({ scope: 'process', replicas: 1 });
    for (const window of [report.hour, report.day]) {
      const sessions = window.endpoints.find(
        (row) => row.route === '/api/chat/sessions' && row.method === 'GET',
      );
      expect(sessions).toMatchObject({ count: PERCENTILE_MIN_COUNT.p95Ms, errorRate: 0 });
      expect(sessions!.p50Ms).toBeGreaterThan(0);
      expect(sessions!.p95Ms).toBeGreaterThanOrEqual(sessions!.p50Ms!);
      // 20 requests say nothing about the slowest 1 in 100.
      expect(sessions!.p99Ms).toBeNull();
      const refused = window.endpoints.find(
        (row) => row.route === '/api/admin/system/*' && row.method === 'GET',
      );
      // Refused before its route matched: labelled by its router; client errors, not 5xx.
      expect(refused).toMatchObject({ count: 2, errorRate: 0 });

      const answers = window.providers.find(
        (row) => row.provider === 'anthropic' && row.kind === 'answer',
      );
      expect(answers).toMatchObject({ count: 1, errorRate: 0 });
      expect(answers!.p50Ms).toBeGreaterThan(0);
      // One call is no tail: not three interpolated figures inside its bucket.
      expect(answers).toMatchObject({ p95Ms: null, p99Ms: null });
      expect(window.firstToken.count).toBe(1);
      expect(window.firstToken.distribution.reduce((sum, b) => sum + b.count, 0)).toBe(1);
      expect(window.firstToken.distribution.at(-1)).toMatchObject({ upToMs: null });
      expect(window.turns).toEqual({ completed: 1, interrupted: 0, failed: 0 });
    }
  });

  it('with METRICS_RECORDING=off records nothing and says so', async () => {
    const off = await createTestApp({ ADMIN_EMAIL, METRICS_RECORDING: 'off' });
    try {
      const operator = await registerAdmin(off, { email: ADMIN_EMAIL, username: 'operator' });
      const response = await request(off.app)
        .get('/api/admin/system/metrics')
        .set('Authorization', `Bearer ${operator.accessToken}`)
        .expect(409);
      expect(response.body.error.code).toBe('system.metrics_off');
      const scrape = await off.hintbook.metrics.registry.metrics();
      // Requests and queries have run (the admin registered), yet every series is still 0.
      const values = scrape
        .split('\n')
        .filter((line) => line.startsWith('hintbook_'))
        .map((line) => Number(line.split(' ').at(-1)));
      expect(values.length).toBeGreaterThan(10);
      expect(values.filter((value) => value !== 0)).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
