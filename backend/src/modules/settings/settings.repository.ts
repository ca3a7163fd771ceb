import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { appSettings, usageEvents, userAllowances } from '../../db/schema/index.js';

export async function findAllSettings(db: Db) {
  return db
    .select({ key: appSettings.key, value: appSettings.value, updatedAt: appSettings.updatedAt })
    .from(appSettings);
}

export async function upsertSetting(
  db: Db,
  key: string,
  value: unknown,
  updatedBy: string,
  now: Date,
): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key, value, updatedBy, updatedAt: now })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedBy, updatedAt: now } });
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.delete(appSettings).where(eq(appSettings.key, key));
}

export type AllowanceRow = {
  userId: string;
  dailyTokens: number | null;
  weeklyTokens: number | null;
};

export async function findUserAllowance(db: Db, userId: string): Promise<AllowanceRow | undefined> {
  const [row] = await db
    .select({
      userId: userAllowances.userId,
      dailyTokens: userAllowances.dailyTokens,
      weeklyTokens: userAllowances.weeklyTokens,
    })
    .from(userAllowances)
    .where(eq(userAllowances.userId, userId));
  return row;
}

export function findUserAllowances(db: Db, userIds: string[]): Promise<AllowanceRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      userId: userAllowances.userId,
      dailyTokens: userAllowances.dailyTokens,
      weeklyTokens: userAllowances.weeklyTokens,
    })
    .from(userAllowances)
    .where(inArray(userAllowances.userId, userIds));
}

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

/** Per provider over recent calls: counts, the last failure and the last success. */
export function findRecentProviderCalls(db: Db, since: Date) {
  const isError = sql`${usageEvents.outcome} in ('error', 'interrupted')`;
  return db
    .select({
      provider: usageEvents.provider,
      calls: sql<number>`count(*)::int`,
      errors: sql<number>`(count(*) filter (where ${isError}))::int`,
      lastErrorAt: sql<Date | null>`max(${usageEvents.createdAt}) filter (where ${isError})`,
      lastSuccessAt: sql<Date | null>`max(${usageEvents.createdAt}) filter (where ${usageEvents.outcome} = 'ok')`,
      lastErrorKind: sql<
        string | null
      >`(array_agg(${usageEvents.errorKind} order by ${usageEvents.createdAt} desc) filter (where ${isError}))[1]`,
    })
    .from(usageEvents)
    .where(and(gte(usageEvents.createdAt, since)))
    .groupBy(usageEvents.provider);
}
