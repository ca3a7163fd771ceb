import type { SharedRedis } from '../cluster/redis.js';
import type { Logger } from '../lib/logger.js';

/**
 * The per-user cap on open sockets (SOCKET_MAX_CONNECTIONS_PER_USER). One process counts its
 * own rooms; several replicas count in Redis, so ten tabs spread over three replicas are ten.
 */
export interface SocketSlots {
  /** Takes a slot for this socket unless the user already holds the maximum; false when full. */
  claim(userId: string, socketId: string): Promise<boolean>;
  release(userId: string, socketId: string): void;
  stop(): void;
}

/** Today's single-process rule: the sockets already in the user's room on this process. */
export function createLocalSocketSlots(
  max: number,
  connectedHere: (userId: string) => number,
): SocketSlots {
  return {
    claim: (userId) => Promise.resolve(connectedHere(userId) < max),
    release: () => {},
    stop: () => {},
  };
}

/** A slot lives this long unless its replica renews it: a replica that died frees its slots. */
const SLOT_TTL_MS = 90_000;
const RENEW_EVERY_MS = 30_000;

// One sorted set per user: member = socket id, score = when the slot expires. Expired members
// go first, so a crashed replica's sockets stop counting; a socket that recovers its session
// keeps its own slot. Atomic, so two tabs opening at once cannot both take the last slot.
const CLAIM_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export function createRedisSocketSlots(
  { client: redis, keyPrefix }: SharedRedis,
  max: number,
  logger: Logger,
): SocketSlots {
  const key = (userId: string) => `${keyPrefix}:sockets:${userId}`;
  // Sockets of this replica, renewed together.
  const mine = new Map<string, string>();
  const renew = setInterval(() => {
    const expiresAt = String(Date.now() + SLOT_TTL_MS);
    for (const [socketId, userId] of mine) {
      redis
        .sendCommand(['ZADD', key(userId), 'XX', expiresAt, socketId])
        .catch((error: unknown) => logger.warn({ err: error }, 'could not renew a socket slot'));
    }
  }, RENEW_EVERY_MS);
  renew.unref();
  return {
    async claim(userId, socketId) {
      const now = Date.now();
      const granted = await redis.sendCommand([
        'EVAL',
        CLAIM_SCRIPT,
        '1',
        key(userId),
        String(now),
        String(now + SLOT_TTL_MS),
        socketId,
        String(max),
        String(SLOT_TTL_MS),
      ]);
      if (Number(granted) !== 1) return false;
      mine.set(socketId, userId);
      return true;
    },
    release(userId, socketId) {
      mine.delete(socketId);
      redis
        .sendCommand(['ZREM', key(userId), socketId])
        .catch((error: unknown) => logger.warn({ err: error }, 'could not free a socket slot'));
    },
    stop: () => clearInterval(renew),
  };
}
