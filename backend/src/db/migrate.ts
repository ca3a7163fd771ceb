import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database, Db } from './client.js';
import { selectRows } from './raw.js';

/** Arbitrary but fixed: every Hintbook replica contends for the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_406_133_001;

/**
 * Applies pending migrations from `migrationsDir`. Holds a Postgres advisory lock for the whole
 * run so replicas starting together apply each migration exactly once; the losers wait, then
 * find nothing left to do.
 */
export async function applyMigrations(database: Database, migrationsDir: string): Promise<void> {
  // The advisory lock is re-entrant within one session, and PGlite has only one session: chain
  // calls on the same database in-process as well.
  const previous = inProcessRuns.get(database) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => migrateUnderLock(database, migrationsDir));
  inProcessRuns.set(database, run);
  await run;
}

const inProcessRuns = new WeakMap<Database, Promise<void>>();

async function migrateUnderLock(database: Database, migrationsDir: string): Promise<void> {
  await database.withConnection(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      if (database.driver === 'pg') {
        await migratePg(db as unknown as NodePgDatabase, { migrationsFolder: migrationsDir });
      } else {
        await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder: migrationsDir });
      }
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

/** How many migrations the shipped `migrations/` folder holds. */
export function countExpectedMigrations(migrationsDir: string): number {
  const journal = JSON.parse(
    readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** How many migrations the database has applied (0 on an empty database). */
export async function countAppliedMigrations(db: Db): Promise<number> {
  const [table] = await selectRows<{ exists: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
  );
  if (!table?.exists) return 0;
  const [row] = await selectRows<{ count: number }>(
    db,
    sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
  );
  return Number(row?.count ?? 0);
}
