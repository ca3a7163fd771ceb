import type { Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { SharedRedis } from './redis.js';

/** Makes a limiter's counter store; absent, express-rate-limit counts in this process. */
export type RateLimitStores = (name: string) => Store;

/**
 * Counters in Redis, so a limit holds across replicas (nginx may send each attempt elsewhere).
 * One store per limiter (express-rate-limit refuses to share one), prefixed by its name.
 */
export function createRedisRateLimitStores(redis: SharedRedis): RateLimitStores {
  return (name) =>
    new RedisStore({
      prefix: `${redis.keyPrefix}:rl:${name}:`,
      sendCommand: (...args: string[]) => redis.client.sendCommand(args) as Promise<RedisReply>,
    });
}
