import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema/index.js';
import { timeQueries, type QueryListener } from './query-timing.js';
import { lockDataDir } from './data-dir-lock.js';
import { PgliteThread } from './pglite-thread.js';

export { createPgliteClient } from './pglite-engine.js';

/**
 * What repositories receive: the query builder, identical for both drivers, or a transaction
 * opened on it. Drizzle's `PgTransaction` extends `PgDatabase`, so a `Tx` is a `Db` as it is.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open transaction (see `withTransaction`): every query builder of `Db`, plus `rollback()`. */
export type Tx = PgTransaction<
  PgQueryResultHKT,
  typeof schema,
  ExtractTablesWithRelations<typeof schema>
>;

export type DriverName = 'pg' | 'pglite';

export interface Database {
  db: Db;
  driver: DriverName;
  /**
   * Runs `work` on one dedicated connection. Session-level features such as advisory locks
   * need this: on a pool, lock and unlock could land on different connections.
   */
  withConnection<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Where this process beats its liveness (owner-heartbeat.ts): on PostgreSQL a connection
   * outside the pool, so hundreds of turns queueing for the pool never make a live process
   * look dead to the other replicas. PGlite: the one connection there is.
   */
  livenessDb: Db;
  close(): Promise<void>;
  /** Metrics: every query's duration from now on (one listener). */
  observeQueries(listener: QueryListener): void;
  /** Metrics: the pool's connections (PGlite has no pool). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

export interface DatabaseOptions {
  /** postgres:// URL; absent means the embedded PGlite database. */
  url?: string | undefined;
  /** PGlite files live here; `memory://` keeps them in memory (tests). */
  dataDir: string;
  /**
   * PGlite only: start from this dump of a data directory (`dumpDataDir`) instead of running
   * initdb. Tests copy a database migrated once per run; initdb alone takes seconds.
   */
  loadDataDir?: Blob;
  poolMax?: number;
  logger?: Logger;
}

/** Throws EmbeddedDatabaseInUse when another process has the embedded database's folder open. */
export function openDatabase(options: DatabaseOptions): Database {
  if (options.url) return openPostgres(options.url, options);
  // In memory there is nothing another process could open.
  const lock = options.dataDir.startsWith('memory://') ? null : lockDataDir(options.dataDir);
  try {
    const database = wrapPglite(
      new PgliteThread(options.dataDir, options.loadDataDir, options.logger),
    );
    return {
      ...database,
      close: () => database.close().finally(() => lock?.release()),
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away (restart, failover) emits here; without a listener
  // the process would crash. The pool drops that client and the next query reconnects.
  pool.on('error', (error) => {
    options.logger?.warn({ err: error }, 'idle database connection lost');
  });
  let onQuery: QueryListener | undefined;
  pool.on('connect', (client) => timeQueries(client, () => onQuery));
  const db: Db = drizzlePg(pool, { schema, casing: 'snake_case' });
  const livenessPool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  livenessPool.on('error', (error) => {
    options.logger?.warn({ err: error }, 'idle liveness connection lost');
  });
  return {
    db,
    livenessDb: drizzlePg(livenessPool, { schema, casing: 'snake_case' }),
    driver: 'pg',
    observeQueries: (listener) => (onQuery = listener),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    async withConnection(work) {
      const client = await pool.connect();
      try {
        return await work(drizzlePg(client, { schema, casing: 'snake_case' }));
      } finally {
        client.release();
      }
    },
    close: async () => {
      await Promise.all([pool.end(), livenessPool.end()]);
    },
  };
}

/**
 * The embedded database behind the same interface as PostgreSQL's pool. The product's (and
 * every test's) runs on its own thread (`PgliteThread`); a `PGlite` made here runs on the event
 * loop (the tests' template database, which dumps its data directory).
 */
export function wrapPglite(client: PGlite | PgliteThread): Database {
  let onQuery: QueryListener | undefined;
  // Times queries outside transactions (those run on the transaction's own handle).
  timeQueries(client as unknown as Parameters<typeof timeQueries>[0], () => onQuery);
  // Drizzle's driver uses only query, exec and transaction, which the thread has.
  const db: Db = drizzlePglite(client as PGlite, { schema, casing: 'snake_case' });
  return {
    db,
    driver: 'pglite',
    observeQueries: (listener) => (onQuery = listener),
    // PGlite is a single connection already.
    withConnection: (work) => work(db),
    livenessDb: db,
    close: () => client.close(),
  };
}
