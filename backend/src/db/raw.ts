import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.js';

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{ rows }`, but Drizzle types the
 * result per driver; this is the one place that bridges them. Prefer the query builder.
 */
export async function selectRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

/** A value as a jsonb parameter, where null and undefined are SQL NULL (not JSON `null`). */
export function jsonbOrNull(value: unknown): SQL {
  return value == null ? sql`null::jsonb` : sql`${JSON.stringify(value)}::jsonb`;
}
