import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMetricsResponseSchema, type SystemMetricsResponse } from '@hintbook/contracts';
import { createMockProvider } from '../../ai/providers/mock.js';
import { closeRedis, connectRedis, type SharedRedis } from '../../cluster/redis.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { connectClient } from '../../test/socket-client.js';

/**
 * The System page with two replicas sharing a real Redis (TEST_REDIS_URL): each shares its
 * histogram buckets, and either replica's page sums both. Without Redis the page covers its own
 * process (system.int.test.ts).
 */
const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) {
  console.warn(
    '\n*** SKIPPING the System page across replicas: TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379). ***\n',
  );
}

const ADMIN_EMAIL = 'operator@school.example';

describe.skipIf(!redisUrl)('the System page across two replicas sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: SignedInUser;
  let student: SignedInUser;
  const redisClients: SharedRedis[] = [];
  // A prefix of its own, so parallel runs sharing this Redis never see each other's replicas.
  const keyPrefix = `hintbook-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const provider = createMockProvider({ name: 'anthropic' });
    const env = {
      LLM_PROVIDER: 'anthropic',
      ADMIN_EMAIL,
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: keyPrefix,
    };
    const ai = { factories: { anthropic: () => provider }, sleep: async () => {} };
    const replica = async (shared?: TestApp) => {
      const logger = { warn: () => {}, info: () => {} } as never;
      const redis = { client: await connectRedis(redisUrl!, logger), keyPrefix };
      redisClients.push(redis);
      return createTestApp(env, shared && { database: shared.database }, { ai, redis });
    };
    a = await replica();
    b = await replica(a);
    admin = await registerAdmin(a, { email: ADMIN_EMAIL, username: 'operator' });
    student = await registerThroughApi(a.app);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    for (const redis of redisClients) await closeRedis(redis.client);
  });

  async function page(replica: TestApp): Promise<SystemMetricsResponse> {
    const response = await request(replica.app)
      .get('/api/admin/system/metrics')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(200);
    return systemMetricsResponseSchema.parse(response.body);
  }

  const sessionsCount = (report: SystemMetricsResponse) =>
    report.hour.endpoints.find((row) => row.route === '/api/chat/sessions' && row.method === 'GET')
      ?.count ?? 0;

  async function listSessions(replica: TestApp, times: number) {
    for (let i = 0; i < times; i++)
      await request(replica.app)
        .get('/api/chat/sessions')
        .set('Authorization', `Bearer ${student.accessToken}`)
        .expect(200);
  }

  async function askOn(replica: TestApp) {
    const client = await connectClient(await replica.listen(), student.accessToken);
    const ack = (await client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'How do I reverse a list?',
    } as never)) as { turnId: string };
    expect((await client.terminalOf(ack.turnId)).name).toBe('chat:done');
    client.close();
  }

  it('sums both replicas’ requests, provider calls and first tokens, on either replica', async () => {
    await listSessions(a, 3);
    await listSessions(b, 2);
    await askOn(a);
    await askOn(b);
    await Promise.all([a.hintbook.shareSystemMetricsNow(), b.hintbook.shareSystemMetricsNow()]);

    for (const report of [await page(a), await page(b)]) {
      expect(report).toMatchObject({ scope: 'replicas', replicas: 2 });
      for (const window of [report.hour, report.day]) {
        expect(window.firstToken.count).toBe(2);
        expect(window.turns).toEqual({ completed: 2, interrupted: 0, failed: 0 });
        expect(
          window.providers.find((row) => row.provider === 'anthropic' && row.kind === 'answer'),
        ).toMatchObject({ count: 2, errorRate: 0 });
      }
      expect(sessionsCount(report)).toBe(5);
    }
  });

  it('leaves out a replica that stopped sharing, and one whose figures are stale', async () => {
    const before = await page(a);
    // A third replica that last shared a minute ago (it crashed): not counted, and removed.
    const stale = { at: Date.now() - 60_000, startedAt: 0, series: [], hour: {}, day: {} };
    const key = `${keyPrefix}:system-metrics`;
    await redisClients[0]!.client.hSet(key, 'crashed-replica', JSON.stringify(stale));
    expect((await page(a)).replicas).toBe(before.replicas);
    await expect.poll(() => redisClients[0]!.client.hExists(key, 'crashed-replica')).toBe(0);

    await listSessions(b, 4);
    b.hintbook.stopBackgroundWork();
    await expect.poll(async () => (await page(a)).replicas, { timeout: 5_000 }).toBe(1);
    const alone = await page(a);
    expect(alone.scope).toBe('replicas');
    expect(sessionsCount(alone)).toBe(3);
  });
});
