import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { RunExclusively } from '../../cluster/run-once.js';
import { deleteSessionsUntouchedSince } from './retention.repository.js';
import { msUntilNextSweep, retentionCutoff } from './retention.rules.js';

export interface RetentionDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** CHAT_RETENTION_DAYS; 0 keeps conversations forever. */
  retentionDays: number;
  /** With several replicas, one of them sweeps at a time (absent: this process alone). */
  runExclusively?: RunExclusively | undefined;
}

/** Small batches, so one sweep never holds a long lock on a busy database. */
const BATCH = 200;

/** Deletes the conversations past retention; answers how many went. */
export async function deleteExpiredConversations(deps: RetentionDeps): Promise<number> {
  const cutoff = retentionCutoff(deps.clock(), deps.retentionDays);
  if (!cutoff) return 0;
  let total = 0;
  for (;;) {
    const deleted = await deleteSessionsUntouchedSince(deps.db, cutoff, BATCH);
    total += deleted;
    if (deleted < BATCH) break;
  }
  if (total > 0)
    deps.logger.info(
      { deleted: total, retentionDays: deps.retentionDays },
      'old conversations deleted',
    );
  return total;
}

/**
 * Runs the sweep every night (see `msUntilNextSweep`) while the process lives. With several
 * replicas one sweeps while the others skip (an advisory lock); one that wakes after it finds
 * nothing left, since the deletes are idempotent.
 */
export function startRetentionSweeper(deps: RetentionDeps) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped || deps.retentionDays <= 0) return;
    timer = setTimeout(() => {
      const sweep = () => deleteExpiredConversations(deps);
      (deps.runExclusively ? deps.runExclusively('chat-retention', sweep) : sweep())
        .catch((error: unknown) =>
          deps.logger.error({ err: error }, 'could not delete old conversations'),
        )
        .finally(schedule);
    }, msUntilNextSweep(deps.clock()));
    timer.unref();
  };
  schedule();
  return {
    /** The same sweep, now (tests, and the shell command through the service). */
    sweepNow: () => deleteExpiredConversations(deps),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
