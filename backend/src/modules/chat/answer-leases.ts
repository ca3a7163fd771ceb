import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';

/**
 * Decides when a streaming answer's old heartbeat proves its process died. A heartbeat can also
 * be old because nobody could write it: while the database was unreachable every replica's
 * flushes failed, and right after it comes back every live answer looks stale until its owner's
 * next flush. So heartbeats are only judged once this process has reached the database without
 * a failure for a whole lease (`leaseMs`, STALE_AFTER_MS): by then every live owner has beaten
 * again.
 * Failures and successes are reported by the heartbeat writer and the orphan sweep, which between
 * them touch the database every second or two.
 *
 * `ownerId` names this process on the answers it writes; its beat in `answer_owners`
 * (owner-heartbeat.ts) keeps them alive while its pool is too busy to flush them on time.
 */
export function createAnswerLeases(clock: Clock, leaseMs: number, ownerId: string = randomUUID()) {
  // At start the database was just reached (migrations ran): trusted from the beginning.
  let reachableSince: number | null = Number.NEGATIVE_INFINITY;
  return {
    ownerId,
    /** A query went through. */
    reached(): void {
      reachableSince ??= clock().getTime();
    },
    /** A query failed: the database may be unreachable for every replica. */
    failed(): void {
      reachableSince = null;
    },
    /**
     * Answers whose heartbeat is older than this belong to a dead process; null while an outage
     * is too recent to tell (judge nothing then; the next sweep will).
     */
    staleBefore(now: Date): Date | null {
      if (reachableSince === null || now.getTime() - reachableSince < leaseMs) return null;
      return new Date(now.getTime() - leaseMs);
    },
  };
}

export type AnswerLeases = ReturnType<typeof createAnswerLeases>;
