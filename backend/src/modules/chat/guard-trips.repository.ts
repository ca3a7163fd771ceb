import { and, count, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { answerGuardTrips } from '../../db/schema/index.js';

export type NewGuardTripRow = typeof answerGuardTrips.$inferInsert;

export async function insertGuardTrip(db: Db, row: NewGuardTripRow): Promise<void> {
  await db.insert(answerGuardTrips).values(row);
}

/** A student's own guard trips, for their data export (no text was ever stored). */
export async function listGuardTripsForUser(db: Db, userId: string) {
  return db
    .select({
      sessionId: answerGuardTrips.sessionId,
      messageId: answerGuardTrips.messageId,
      hintLevel: answerGuardTrips.hintLevel,
      reason: answerGuardTrips.reason,
      attempt: answerGuardTrips.attempt,
      codeLines: answerGuardTrips.codeLines,
      overlap: answerGuardTrips.overlap,
      createdAt: answerGuardTrips.createdAt,
    })
    .from(answerGuardTrips)
    .where(eq(answerGuardTrips.userId, userId))
    .orderBy(answerGuardTrips.createdAt);
}

/** Guard trips in [from, to), counted per reason and attempt. */
export async function countGuardTrips(db: Db, range: { from: Date; to: Date }) {
  return db
    .select({
      reason: answerGuardTrips.reason,
      attempt: answerGuardTrips.attempt,
      trips: count(),
    })
    .from(answerGuardTrips)
    .where(
      and(gte(answerGuardTrips.createdAt, range.from), lt(answerGuardTrips.createdAt, range.to)),
    )
    .groupBy(answerGuardTrips.reason, answerGuardTrips.attempt);
}
