import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ActiveTurns } from './active-turns.js';
import type { AnswerLeases } from './answer-leases.js';
import { flushStreamingAnswers } from './messages.repository.js';

/**
 * Every `intervalMs`, writes the partial text of all answers streaming in this process (one
 * UPDATE for all of them) and refreshes their heartbeat. A crash then loses at most that much
 * text, and other processes can tell a live answer from an orphaned one. A tick is skipped while
 * the previous write is still running, so a slow database never builds a queue of flushes.
 */
export function startStreamFlusher(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  activeTurns: ActiveTurns;
  leases: AnswerLeases;
  intervalMs: number;
}) {
  let writing = false;
  const timer = setInterval(() => {
    const running = deps.activeTurns.running();
    if (writing || running.length === 0) return;
    writing = true;
    flushStreamingAnswers(
      deps.db,
      running.map((turn) => ({ id: turn.turnId, content: turn.content })),
      deps.clock(),
    )
      .then(
        () => deps.leases.reached(),
        (error: unknown) => {
          deps.leases.failed();
          deps.logger.warn(
            { err: error, answers: running.length },
            'could not flush partial answers',
          );
        },
      )
      .finally(() => {
        writing = false;
      });
  }, deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
