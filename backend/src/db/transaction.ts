import type { Db } from './client.js';

/**
 * Runs `work` in one transaction and hands it a `Db`, so repository functions take either. The
 * cast lives here once: Drizzle types a transaction apart from the database it came from, but
 * both offer every query builder the repositories use.
 */
export function withTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(tx as unknown as Db));
}
