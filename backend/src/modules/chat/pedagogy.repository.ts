import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { userPedagogy } from '../../db/schema/index.js';

export type UserPedagogyRow = typeof userPedagogy.$inferSelect;

export async function findUserPedagogy(
  db: Db,
  userId: string,
): Promise<UserPedagogyRow | undefined> {
  const [row] = await db.select().from(userPedagogy).where(eq(userPedagogy.userId, userId));
  return row;
}

export async function upsertUserPedagogy(
  db: Db,
  values: Omit<UserPedagogyRow, 'updatedAt'>,
  now: Date,
): Promise<void> {
  await db
    .insert(userPedagogy)
    .values({ ...values, updatedAt: now })
    .onConflictDoUpdate({ target: userPedagogy.userId, set: { ...values, updatedAt: now } });
}
