import type { Db } from './client.js';

/**
 * A hot query built once per database handle and then only run, with its values as
 * `sql.placeholder`s. Drizzle otherwise builds the SQL text of every query on every call; on a
 * loaded backend that building is a measurable share of the event loop (bench/README.md, issue
 * 13). On PostgreSQL the statement is also named, so each connection parses it once. A
 * transaction's handle gets its own, forgotten with it.
 *
 * Placeholders skip the columns' value mapping: pass values as the driver takes them (a time as
 * an ISO string, not a Date).
 */
export function preparedPerDb<Prepared>(prepare: (db: Db) => Prepared): (db: Db) => Prepared {
  const byDb = new WeakMap<Db, Prepared>();
  return (db) => {
    let prepared = byDb.get(db);
    if (!prepared) {
      prepared = prepare(db);
      byDb.set(db, prepared);
    }
    return prepared;
  };
}
