import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ActiveTurns } from './active-turns.js';
import type { AnswerLeases } from './answer-leases.js';
import { describeUnexpectedError } from '../../lib/log-detail.js';
import { endStaleAnswers, updateMessage } from './messages.repository.js';
import type { TurnEmitter } from './turn.types.js';

/**
 * Every `intervalMs`, ends the answers whose process stopped beating their heart and its own
 * (a replica killed mid-answer; a replica merely too busy to flush still beats, see
 * owner-heartbeat.ts): stored as interrupted with the text flushed so far, and their students
 * told at once with a retryable `chat:error`, on whichever replica their sockets are. Every
 * replica sweeps; an answer is ended, and announced, by exactly one of them. Never the answers
 * running in this process, and nothing right after a database outage (see answer-leases.ts).
 */
export function startOrphanSweeper(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  emitter: TurnEmitter;
  activeTurns: ActiveTurns;
  leases: AnswerLeases;
  intervalMs: number;
}) {
  let sweeping: Promise<number> | null = null;
  const sweep = async (): Promise<number> => {
    const now = deps.clock();
    // Judged before the query: a lease is only trusted if the database was reachable all along.
    const staleBefore = deps.leases.staleBefore(now);
    const live = deps.activeTurns.running().map((turn) => turn.turnId);
    let ended: Awaited<ReturnType<typeof endStaleAnswers>>;
    try {
      // Blind after an outage: a query that ends nothing, only to learn the database is back.
      ended = await endStaleAnswers(deps.db, now, staleBefore ?? new Date(0), {
        liveIds: live,
        ownerId: deps.leases.ownerId,
      });
    } catch (error) {
      deps.leases.failed();
      throw error;
    }
    deps.leases.reached();
    for (const answer of ended) {
      // A turn this process ended itself, whose last write failed (turn-endings.ts, endUnsaved):
      // its student already has the terminal event and the whole text on screen. Keep that
      // text, not the last flushed copy, and say nothing twice.
      const endedHere = deps.activeTurns.get(answer.id);
      if (endedHere?.terminal) {
        if (endedHere.content.length > answer.content.length)
          await updateMessage(deps.db, answer.id, { content: endedHere.content }).catch(
            (error: unknown) =>
              deps.logger.warn(
                { ...describeUnexpectedError(error), turnId: answer.id },
                'could not keep the whole text of an answer ended unsaved',
              ),
          );
        continue;
      }
      deps.emitter.toUser(answer.userId, 'chat:error', {
        sessionId: answer.sessionId,
        turnId: answer.id,
        messageId: answer.id,
        content: answer.content,
        code: 'ai.interrupted',
        message: 'The answer was cut off. What you see is kept; press retry for a full answer.',
        retryable: true,
      });
    }
    if (ended.length > 0)
      deps.logger.warn(
        { answers: ended.length },
        'answers of a stopped process ended as interrupted',
      );
    return ended.length;
  };
  const sweepOnce = () => {
    // A slow database never builds a queue of sweeps.
    sweeping ??= sweep().finally(() => {
      sweeping = null;
    });
    return sweeping;
  };
  const timer = setInterval(() => {
    sweepOnce().catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'could not sweep orphaned answers'),
    );
  }, deps.intervalMs);
  timer.unref();
  // A sweep asked for now judges by now's clock: one already in flight (a tick's) judged by an
  // older one, so its count answers a different question.
  const sweepNow = () => (sweeping ? sweeping.catch(() => undefined).then(sweepOnce) : sweepOnce());
  return { sweepNow, stop: () => clearInterval(timer) };
}
