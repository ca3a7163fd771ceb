import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { preparedPerDb, UNNAMED_STATEMENT } from '../../db/prepared.js';
import { userAllowances } from '../../db/schema/index.js';

// Per-user overrides of the token allowances: part of the quota, so usage owns them.

export type AllowanceRow = {
  userId: string;
  dailyTokens: number | null;
  weeklyTokens: number | null;
};

export async function findUserAllowance(db: Db, userId: string): Promise<AllowanceRow | undefined> {
  const [row] = await userAllowanceOn(db).execute({ userId });
  return row;
}

/** Read before every turn: built once, run with its values (db/prepared.ts). */
const userAllowanceOn = preparedPerDb((db) =>
  db
    .select({
      userId: userAllowances.userId,
      dailyTokens: userAllowances.dailyTokens,
      weeklyTokens: userAllowances.weeklyTokens,
    })
    .from(userAllowances)
    .where(eq(userAllowances.userId, sql.placeholder('userId')))
    .prepare(UNNAMED_STATEMENT),
);

export async function upsertUserAllowance(db: Db, values: AllowanceRow, now: Date): Promise<void> {
  const set = {
    dailyTokens: values.dailyTokens,
    weeklyTokens: values.weeklyTokens,
    updatedAt: now,
  };
  await db
    .insert(userAllowances)
    .values({ ...values, updatedAt: now })
    .onConflictDoUpdate({ target: userAllowances.userId, set });
}

export async function deleteUserAllowance(db: Db, userId: string): Promise<void> {
  await db.delete(userAllowances).where(eq(userAllowances.userId, userId));
}
