import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis, type RedisClient } from './redis.js';

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('the shared Redis connection', () => {
  let client: RedisClient;
  const key = `hintbook-test-${randomBytes(4).toString('hex')}:burst`;

  beforeAll(async () => {
    client = await connectRedis(redisUrl!, { warn: () => {}, info: () => {} } as never);
  });
  afterAll(async () => {
    await client.del(key);
    await closeRedis(client);
  });

  it('writes a burst of commands queued in one event-loop turn without waiting turns for drain', async () => {
    // 2,000 commands of about 400 bytes, as many XADDs as a busy replica queues in a few turns:
    // 800 KB, some 50 turns at Node's default 16 KiB per write. Each turn is busy for 2 ms, as
    // on a replica serving streams (an idle loop would spin thousands of empty turns).
    const value = 'x'.repeat(400);
    let turns = 0;
    let counting = true;
    const countTurn = () => {
      turns += 1;
      const end = performance.now() + 2;
      while (performance.now() < end);
      if (counting) setImmediate(countTurn);
    };
    setImmediate(countTurn);
    await Promise.all(Array.from({ length: 2_000 }, () => client.rPush(key, value)));
    counting = false;
    expect(await client.lLen(key)).toBe(2_000);
    expect(turns).toBeLessThan(10);
  });
});
