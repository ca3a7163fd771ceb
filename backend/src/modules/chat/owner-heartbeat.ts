import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { AnswerLeases } from './answer-leases.js';
import { beatAnswerOwner, forgetAnswerOwnersBefore } from './messages.repository.js';

/** Owner rows older than this belong to processes long gone (each start adds one). */
const FORGET_OWNERS_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Every `intervalMs`, tells the other replicas this process is alive: one tiny upsert, on `db`,
 * a connection of its own (Database.livenessDb), so that hundreds of streams queueing on the
 * pool never delay it. The answers' own heartbeats ride on the flush of their text, which a
 * saturated process writes late; without this beat another replica would take a busy process
 * for a dead one and cut off every answer it is writing. A beat still waiting skips the tick.
 */
export function startOwnerHeartbeat(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  leases: AnswerLeases;
  intervalMs: number;
}) {
  let beating: Promise<void> | null = null;
  const beatOnce = () => {
    beating ??= beatAnswerOwner(deps.db, deps.leases.ownerId, deps.clock())
      .then(
        () => deps.leases.reached(),
        (error: unknown) => {
          deps.leases.failed();
          deps.logger.warn({ err: error }, 'could not beat this process in answer_owners');
        },
      )
      .finally(() => {
        beating = null;
      });
    return beating;
  };
  const forgetGone = () =>
    forgetAnswerOwnersBefore(
      deps.db,
      new Date(deps.clock().getTime() - FORGET_OWNERS_AFTER_MS),
    ).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'could not forget old answer owners'),
    );
  void beatOnce().then(forgetGone);
  const timer = setInterval(() => void beatOnce(), deps.intervalMs);
  timer.unref();
  // A beat asked for now carries now's time: one already in flight (a tick's) may carry an
  // older one, and joining it would leave the row a lease behind the caller's clock.
  const beatNow = () => (beating ? beating.then(beatOnce) : beatOnce());
  return { beatNow, stop: () => clearInterval(timer) };
}
