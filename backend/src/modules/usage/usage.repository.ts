import { and, eq, gt, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { selectRows } from '../../db/raw.js';
import {
  usageEvents,
  usageMonthlyTotals,
  usageReservations,
  usageUserTotals,
} from '../../db/schema/index.js';

export type NewUsageEvent = typeof usageEvents.$inferInsert;

/**
 * Stores one call. A trigger adds it to the running totals its windows read (the user's day and
 * week, the installation's month, from the event's own `created_at` in UTC; migrations/0020), so
 * the totals never miss an event and a reservation reads three rows instead of summing the month.
 * An event whose `id` is already stored is skipped, so a write retried after a connection dropped
 * mid-commit never counts the call twice (the trigger fires only for rows inserted).
 */
export async function insertUsageEvent(db: Db, event: NewUsageEvent): Promise<void> {
  await db.insert(usageEvents).values(event).onConflictDoNothing({ target: usageEvents.id });
}

/** Input + output tokens the user spent in one UTC day or week (its running total). */
export async function findUserPeriodTokens(
  db: Db,
  userId: string,
  period: 'day' | 'week',
  startsAt: Date,
): Promise<number> {
  const [row] = await db
    .select({ tokens: usageUserTotals.tokens })
    .from(usageUserTotals)
    .where(
      and(
        eq(usageUserTotals.userId, userId),
        eq(usageUserTotals.period, period),
        eq(usageUserTotals.startsAt, startsAt),
      ),
    );
  return Number(row?.tokens ?? 0);
}

/** What the whole installation spent in the UTC month starting at `month`, in USD. */
export async function findMonthCost(db: Db, month: Date): Promise<number> {
  const [row] = await db
    .select({ costUsd: usageMonthlyTotals.costUsd })
    .from(usageMonthlyTotals)
    .where(eq(usageMonthlyTotals.month, month));
  return Number(row?.costUsd ?? 0);
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
 * Serialises reservations that could overspend together, for the rest of the transaction (all
 * replicas share the database): installation-wide when a monthly budget applies, else per user
 * (token allowances are per user), so students do not queue behind each other when only
 * allowances are set.
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
 * token, and a first question reads it under the reservation lock. The spent part is three
 * primary-key reads of the running totals (insertUsageEvent keeps them); the held part sums the
 * live reservations, one row per running turn.
 */
export async function sumSpendingTotals(
  db: Db,
  input: { userId: string; day: Date; week: Date; month: Date; now: Date },
): Promise<SpendingTotals> {
  const userTokens = (period: 'day' | 'week', startsAt: Date) => sql`(
    select ${usageUserTotals.tokens} from ${usageUserTotals}
    where ${usageUserTotals.userId} = ${input.userId} and ${usageUserTotals.period} = ${period}
      and ${usageUserTotals.startsAt} = ${startsAt})`;
  const [row] = await selectRows<Record<keyof SpendingTotals, string | number | null>>(
    db,
    sql`select
      ${userTokens('day', input.day)} as "usedToday",
      ${userTokens('week', input.week)} as "usedThisWeek",
      (select coalesce(sum(${usageReservations.tokens}), 0)::bigint from ${usageReservations}
        where ${usageReservations.userId} = ${input.userId}
          and ${usageReservations.expiresAt} > ${input.now}) as "reservedTokens",
      (select ${usageMonthlyTotals.costUsd} from ${usageMonthlyTotals}
        where ${usageMonthlyTotals.month} = ${input.month}) as "spentThisMonth",
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
