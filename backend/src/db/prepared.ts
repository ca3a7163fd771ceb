import type { Db } from './client.js';

/**
 * The name to `.prepare()` with: none. A named statement lives on one server connection, and a
 * pooler in transaction mode (PgBouncer before 1.21, or without `max_prepared_statements`; what
 * docs/kubernetes.md suggests past a dozen pods) hands the next query another one, where the name
 * does not exist. Unnamed, the server parses the text again (well under a millisecond, off this
 * process's event loop); the SQL is still built only once here.
 */
export const UNNAMED_STATEMENT = '';

/**
 * A hot query built once per database handle and then only run, with its values as
 * `sql.placeholder`s. Drizzle otherwise builds the SQL text of every query on every call; on a
 * loaded backend that building is a measurable share of the event loop (bench/README.md, issue
 * 13). A transaction's handle gets its own, forgotten with it.
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
