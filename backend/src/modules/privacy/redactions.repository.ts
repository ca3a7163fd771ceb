import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { redactionCounts } from '../../db/schema/index.js';

export type NewRedactionCountsRow = typeof redactionCounts.$inferInsert;

export async function insertRedactionCounts(db: Db, row: NewRedactionCountsRow): Promise<void> {
  await db.insert(redactionCounts).values(row);
}

/** Redacted values per kind in [from, to), and how many answers had any. */
export async function sumRedactionCounts(db: Db, range: { from: Date; to: Date }) {
  const [row] = await db
    .select({
      answers: count(),
      names: sql<number>`coalesce(sum(${redactionCounts.names}), 0)::int`,
      emails: sql<number>`coalesce(sum(${redactionCounts.emails}), 0)::int`,
      phones: sql<number>`coalesce(sum(${redactionCounts.phones}), 0)::int`,
      secrets: sql<number>`coalesce(sum(${redactionCounts.secrets}), 0)::int`,
    })
    .from(redactionCounts)
    .where(
      and(gte(redactionCounts.createdAt, range.from), lt(redactionCounts.createdAt, range.to)),
    );
  return {
    answers: Number(row?.answers ?? 0),
    names: Number(row?.names ?? 0),
    emails: Number(row?.emails ?? 0),
    phones: Number(row?.phones ?? 0),
    secrets: Number(row?.secrets ?? 0),
  };
}

export async function listRedactionCountsForUser(db: Db, userId: string) {
  return db
    .select({
      messageId: redactionCounts.messageId,
      names: redactionCounts.names,
      emails: redactionCounts.emails,
      phones: redactionCounts.phones,
      secrets: redactionCounts.secrets,
      createdAt: redactionCounts.createdAt,
    })
    .from(redactionCounts)
    .where(eq(redactionCounts.userId, userId))
    .orderBy(redactionCounts.createdAt);
}
