import { createClient } from '@redis/client';
import type { Logger } from '../lib/logger.js';

export type RedisClient = ReturnType<typeof createRedisClient>;

/** The connection and the prefix of every key and channel Hintbook uses on it (REDIS_KEY_PREFIX). */
export interface SharedRedis {
  client: RedisClient;
  keyPrefix: string;
}

/** How long boot waits for Redis before giving up with a clear message. */
const CONNECT_TIMEOUT_MS = 10_000;
/** One warning per outage is enough; the client retries on its own. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * The Redis connection shared by the socket.io adapter, rate limits and socket caps. It
 * reconnects by itself with a capped backoff; commands issued meanwhile wait in its queue, so a
 * Redis restart delays sockets and limits for a moment and loses nothing stored in PostgreSQL.
 */
export async function connectRedis(url: string, logger: Logger): Promise<RedisClient> {
  const client = createRedisClient(url);
  let lastLogged = 0;
  client.on('error', (error: unknown) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn({ err: error }, 'Redis connection trouble; retrying');
  });
  client.on('ready', () => {
    if (lastLogged > 0) logger.info('Redis connection back');
    lastLogged = 0;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis at ${redactedUrl(url)} did not answer within 10 s`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** Closes the connection without waiting for an unreachable server. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  try {
    await client.close();
  } catch {
    client.destroy();
  }
}

/** For messages: the host and port, never the password. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/**
 * How many bytes of commands node-redis hands the socket per event-loop turn. node-redis writes
 * its queue once per `setImmediate` and stops at the socket's high-water mark until 'drain', which
 * comes only in the next turn: with Node's default of 16 KiB that is some 40 XADDs of the
 * socket.io adapter per turn. A replica busy with 150 streams (4,500 deltas a second, turns of
 * 5–30 ms) then queued XADDs faster than it wrote them (1,300 waiting, 0.3–0.7 s each), and the
 * turn events that wait for their XADD waited as long. With 1 MiB a turn writes all it queued.
 * A threshold, not a buffer: nothing is allocated up front. (bench/README.md, "Several replicas".)
 */
export const WRITE_HIGH_WATER_MARK_BYTES = 1024 * 1024;

/** Not connected yet; reconnects by itself after a loss, with a backoff capped at 2 s. */
function createRedisClient(url: string) {
  // node-redis passes it on to net.connect / tls.connect; the stream option `highWaterMark`
  // (both directions) because tls.connect ignores `writableHighWaterMark`. net's types do not
  // list it, hence a variable rather than an object literal.
  const socket = {
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    highWaterMark: WRITE_HIGH_WATER_MARK_BYTES,
  };
  return createClient({ url, socket });
}
