import { and, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { providerErrors } from '../../db/schema/index.js';

export type NewProviderErrorRow = typeof providerErrors.$inferInsert;
export type ProviderErrorRow = typeof providerErrors.$inferSelect;

export async function insertProviderError(db: Db, values: NewProviderErrorRow): Promise<void> {
  await db.insert(providerErrors).values(values);
}

/** Marks the latest failure of an answer as seen by the student (the turn ended in an error). */
export async function markLatestErrorSeen(db: Db, messageId: string): Promise<void> {
  await db
    .update(providerErrors)
    .set({ studentSawError: true })
    .where(
      eq(
        providerErrors.id,
        sql`(select ${providerErrors.id} from ${providerErrors} where ${providerErrors.messageId} = ${messageId} order by ${providerErrors.createdAt} desc limit 1)`,
      ),
    );
}

export interface ProviderErrorFilter {
  status: 'unresolved' | 'resolved' | 'all';
  provider?: string | undefined;
  before?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

export function findProviderErrors(db: Db, filter: ProviderErrorFilter) {
  const conditions: Array<SQL | undefined> = [
    filter.status === 'unresolved' ? isNull(providerErrors.resolvedAt) : undefined,
    filter.status === 'resolved' ? isNotNull(providerErrors.resolvedAt) : undefined,
    filter.provider ? eq(providerErrors.provider, filter.provider) : undefined,
  ];
  if (filter.before) {
    const { createdAt, id } = filter.before;
    conditions.push(
      or(
        lt(providerErrors.createdAt, createdAt),
        and(eq(providerErrors.createdAt, createdAt), lt(providerErrors.id, id)),
      ),
    );
  }
  return db
    .select()
    .from(providerErrors)
    .where(and(...conditions))
    .orderBy(desc(providerErrors.createdAt), desc(providerErrors.id))
    .limit(filter.limit);
}

export async function countUnresolvedProviderErrors(db: Db): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(providerErrors)
    .where(isNull(providerErrors.resolvedAt));
  return Number(row?.count ?? 0);
}

export async function resolveProviderErrorRow(
  db: Db,
  id: string,
  resolvedBy: string,
  now: Date,
): Promise<ProviderErrorRow | undefined> {
  const [row] = await db
    .update(providerErrors)
    .set({
      resolvedAt: sql`coalesce(${providerErrors.resolvedAt}, ${now.toISOString()}::timestamptz)`,
      resolvedBy,
    })
    .where(eq(providerErrors.id, id))
    .returning();
  return row;
}
