import { and, eq, gt, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { selectRows } from '../../db/raw.js';
import { usageEvents, usageReservations } from '../../db/schema/index.js';

export type NewUsageEvent = typeof usageEvents.$inferInsert;

export async function insertUsageEvent(db: Db, event: NewUsageEvent): Promise<void> {
  await db.insert(usageEvents).values(event);
}

/** Input + output tokens the user spent since `since`. */
export async function sumUserTokensSince(db: Db, userId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({
      total: sql<number>`coalesce(sum(${usageEvents.inputTokens} + ${usageEvents.outputTokens}), 0)::int`,
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.userId, userId), gte(usageEvents.createdAt, since)));
  return Number(row?.total ?? 0);
}

/** What the whole installation spent since `since`, in USD. */
export async function sumCostSince(db: Db, since: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${usageEvents.costUsd}), 0)` })
    .from(usageEvents)
    .where(gte(usageEvents.createdAt, since));
  return Number(row?.total ?? 0);
}

export async function listUsageForUser(db: Db, userId: string) {
  return db
    .select({
      purpose: usageEvents.purpose,
      provider: usageEvents.provider,
      model: usageEvents.model,
      inputTokens: usageEvents.inputTokens,
      outputTokens: usageEvents.outputTokens,
      costUsd: usageEvents.costUsd,
      outcome: usageEvents.outcome,
      createdAt: usageEvents.createdAt,
    })
    .from(usageEvents)
    .where(eq(usageEvents.userId, userId));
}

/**
 * Serialises reservations for the rest of the transaction (all replicas share the database), so
 * two turns cannot both see the same allowance left. One key for all: reserving is a few short
 * queries, and the budget is shared by everyone anyway.
 */
/**
 * Serialises reservations that could overspend together: installation-wide when a monthly budget
 * applies, else per user (token allowances are per user), so students do not queue behind each
 * other when only allowances are set.
 */
export async function lockReservations(db: Db, scope: { userId: string } | 'installation') {
  await db.execute(
    scope === 'installation'
      ? sql`select pg_advisory_xact_lock(727071, 13)`
      : sql`select pg_advisory_xact_lock(727072, hashtext(${scope.userId}))`,
  );
}

export interface SpendingTotals {
  usedToday: number;
  usedThisWeek: number;
  reservedTokens: number;
  spentThisMonth: number;
  reservedCost: number;
}

/**
 * Every counter a reservation checks, in one round trip: a turn waits for this before its first
 * token, and inside the reservation's transaction the queries would otherwise go one by one.
 */
export async function sumSpendingTotals(
  db: Db,
  input: { userId: string; day: Date; week: Date; month: Date; now: Date },
): Promise<SpendingTotals> {
  const userTokens = (since: Date) => sql`(
    select coalesce(sum(${usageEvents.inputTokens} + ${usageEvents.outputTokens}), 0)::bigint
    from ${usageEvents}
    where ${usageEvents.userId} = ${input.userId} and ${usageEvents.createdAt} >= ${since})`;
  const [row] = await selectRows<Record<keyof SpendingTotals, string | number>>(
    db,
    sql`select
      ${userTokens(input.day)} as "usedToday",
      ${userTokens(input.week)} as "usedThisWeek",
      (select coalesce(sum(${usageReservations.tokens}), 0)::bigint from ${usageReservations}
        where ${usageReservations.userId} = ${input.userId}
          and ${usageReservations.expiresAt} > ${input.now}) as "reservedTokens",
      (select coalesce(sum(${usageEvents.costUsd}), 0) from ${usageEvents}
        where ${usageEvents.createdAt} >= ${input.month}) as "spentThisMonth",
      (select coalesce(sum(${usageReservations.costUsd}), 0) from ${usageReservations}
        where ${usageReservations.expiresAt} > ${input.now}) as "reservedCost"`,
  );
  return {
    usedToday: Number(row?.usedToday ?? 0),
    usedThisWeek: Number(row?.usedThisWeek ?? 0),
    reservedTokens: Number(row?.reservedTokens ?? 0),
    spentThisMonth: Number(row?.spentThisMonth ?? 0),
    reservedCost: Number(row?.reservedCost ?? 0),
  };
}

/** Tokens the user holds in live reservations (running turns). */
export async function sumUserReservedTokens(db: Db, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${usageReservations.tokens}), 0)::int` })
    .from(usageReservations)
    .where(and(eq(usageReservations.userId, userId), gt(usageReservations.expiresAt, now)));
  return Number(row?.total ?? 0);
}

/** Money every running turn holds, in USD. */
export async function sumReservedCost(db: Db, now: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${usageReservations.costUsd}), 0)` })
    .from(usageReservations)
    .where(gt(usageReservations.expiresAt, now));
  return Number(row?.total ?? 0);
}

export async function createReservation(
  db: Db,
  reservation: typeof usageReservations.$inferInsert,
): Promise<string> {
  const [row] = await db
    .insert(usageReservations)
    .values(reservation)
    .returning({ id: usageReservations.id });
  return row!.id;
}

export async function deleteReservation(db: Db, id: string): Promise<void> {
  await db.delete(usageReservations).where(eq(usageReservations.id, id));
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
