import type { Db } from '../../db/client.js';
import { answerGuardTrips } from '../../db/schema/index.js';

export type NewGuardTripRow = typeof answerGuardTrips.$inferInsert;

export async function insertGuardTrip(db: Db, row: NewGuardTripRow): Promise<void> {
  await db.insert(answerGuardTrips).values(row);
}
