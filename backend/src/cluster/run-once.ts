import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { selectRows } from '../db/raw.js';

/**
 * Background work that must not run on every replica at the same time (the boot-time indexing
 * sync, the nightly retention sweep). Returns undefined, without running `work`, when another
 * replica (or another app on the same database in this process) is already running it.
 */
export type RunExclusively = <T>(
  job: BackgroundJob,
  work: () => Promise<T>,
) => Promise<T | undefined>;

/** Fixed advisory lock keys, one per job, beside the migrations' 7_406_133_001. */
const JOB_LOCK_KEYS = {
  'retrieval-sync': 7_406_133_101,
  'chat-retention': 7_406_133_102,
} as const;

export type BackgroundJob = keyof typeof JOB_LOCK_KEYS;

/**
 * A PostgreSQL session-level advisory lock, tried without waiting and held on one dedicated
 * connection for the job's length: if the replica dies, its connection closes and the lock
 * goes with it, so no job is ever stuck behind a dead holder. PGlite has a single session in
 * which the lock is re-entrant, so jobs are also tracked per database in this process.
 */
export function createExclusiveRunner(database: Database): RunExclusively {
  return async (job, work) => {
    const held = heldInProcess.get(database) ?? new Set<BackgroundJob>();
    heldInProcess.set(database, held);
    if (held.has(job)) return undefined;
    held.add(job);
    try {
      return await database.withConnection(async (db) => {
        const key = JOB_LOCK_KEYS[job];
        const [row] = await selectRows<{ locked: boolean }>(
          db,
          sql`select pg_try_advisory_lock(${key}) as locked`,
        );
        if (!row?.locked) return undefined;
        try {
          return await work();
        } finally {
          await db.execute(sql`select pg_advisory_unlock(${key})`);
        }
      });
    } finally {
      held.delete(job);
    }
  };
}

const heldInProcess = new WeakMap<Database, Set<BackgroundJob>>();
