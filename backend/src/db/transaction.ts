import type { Db, Tx } from './client.js';

/**
 * Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws.
 * Repository functions take the `Tx` wherever they take a `Db` (a transaction is a `Db`), so no
 * cast is needed and there is one way to open a transaction.
 */
export function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
