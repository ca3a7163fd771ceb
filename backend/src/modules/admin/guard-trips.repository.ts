import { and, count, gte, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { answerGuardTrips } from '../../db/schema/index.js';

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
