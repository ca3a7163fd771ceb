import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { exerciseAttempts, messages } from '../../db/schema/index.js';

/** Students who asked the tutor or ran a check since `since` (one count, not who). */
export async function countActiveStudentsSince(db: Db, since: Date): Promise<number> {
  const askers = db
    .selectDistinct({ userId: messages.userId })
    .from(messages)
    .where(and(eq(messages.role, 'user'), gte(messages.createdAt, since)));
  const checkers = db
    .selectDistinct({ userId: exerciseAttempts.userId })
    .from(exerciseAttempts)
    .where(gte(exerciseAttempts.createdAt, since));
  const active = askers.union(checkers).as('active');
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(active);
  return Number(row?.count ?? 0);
}
