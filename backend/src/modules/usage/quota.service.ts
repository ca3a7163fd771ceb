import type { MyUsageResponse } from '@hintbook/contracts';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { allowanceExhausted, budgetExhausted, chatRateLimited } from './usage.errors.js';
import {
  deleteUserAllowance,
  findUserAllowance,
  upsertUserAllowance,
} from './allowances.repository.js';
import { withTransaction } from '../../db/transaction.js';
import {
  createReservation,
  deleteReservation,
  lockReservations,
  sumCostSince,
  sumReservedCost,
  sumSpendingTotals,
  sumUserTokensSince,
} from './usage.repository.js';

export type ChatLimits = Config['chat'];

export interface QuotaDeps {
  db: Db;
  limits: ChatLimits;
  clock: Clock;
}

/** Windows are calendar-based in UTC: a day from midnight, a week from Monday, a month from the 1st. */
export function windowStarts(now: Date) {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const week = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return {
    day,
    nextDay: new Date(day.getTime() + 86_400_000),
    week,
    nextWeek: new Date(week.getTime() + 7 * 86_400_000),
    month,
    nextMonth,
  };
}

/** What a turn holds while it runs; `null` caps mean no limit applies. */
export interface TurnReservation {
  id: string | null;
  /** Tokens this turn may use in all (its reservation). */
  capTokens: number | null;
  /** Money this turn may use in all, in USD. */
  capUsd: number | null;
  /** The token window that binds first, for the message when the answer reaches the cap. */
  binding: { window: 'day' | 'week'; resetsAt: Date };
}

/** How long a reservation holds if its turn never settles (its process died). */
const RESERVATION_TTL_MS = 10 * 60_000;

/**
 * Refuses a new turn when the student is over a limit, else reserves what the turn may spend:
 * its estimate, or what is left when that is less. Counters are sums over usage_events plus
 * the running turns' reservations, under one lock, so concurrent turns (tabs, replicas) cannot
 * together overspend; the turn ends itself when it reaches its caps. `0` disables a limit.
 */
export async function reserveTurn(
  deps: QuotaDeps,
  userId: string,
  estimate: { tokens: number; costUsd: number },
  /** The student's questions since then (chat owns the messages; usage only counts them). */
  countQuestionsSince: (since: Date) => Promise<number>,
): Promise<TurnReservation> {
  const now = deps.clock();
  const windows = windowStarts(now);
  const [limits, recent] = await Promise.all([
    limitsForUser(deps, userId),
    countQuestionsSince(new Date(now.getTime() - 60_000)),
  ]);
  const binding = { window: 'day' as const, resetsAt: windows.nextDay };
  if (recent >= limits.turnsPerMinute) throw chatRateLimited(60);
  const hasTokenLimit = limits.dailyTokens > 0 || limits.weeklyTokens > 0;
  if (!hasTokenLimit && limits.monthlyBudgetUsd <= 0)
    return { id: null, capTokens: null, capUsd: null, binding };

  return withTransaction(deps.db, async (tx) => {
    await lockReservations(tx, limits.monthlyBudgetUsd > 0 ? 'installation' : { userId });
    const totals = await sumSpendingTotals(tx, { userId, ...windows, now });
    const leftToday =
      limits.dailyTokens > 0
        ? limits.dailyTokens - totals.usedToday - totals.reservedTokens
        : Infinity;
    const leftThisWeek =
      limits.weeklyTokens > 0
        ? limits.weeklyTokens - totals.usedThisWeek - totals.reservedTokens
        : Infinity;
    if (leftToday <= 0) throw allowanceExhausted('day', windows.nextDay);
    if (leftThisWeek <= 0) throw allowanceExhausted('week', windows.nextWeek);
    const leftUsd =
      limits.monthlyBudgetUsd > 0
        ? limits.monthlyBudgetUsd - totals.spentThisMonth - totals.reservedCost
        : Infinity;
    if (leftUsd <= 0) throw budgetExhausted();
    const tokens = Math.min(estimate.tokens, leftToday, leftThisWeek);
    const costUsd = Math.min(estimate.costUsd, leftUsd);
    const id = await createReservation(tx, {
      userId,
      tokens,
      costUsd: Number.isFinite(costUsd) ? costUsd : 0,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESERVATION_TTL_MS),
    });
    return {
      id,
      capTokens: hasTokenLimit ? tokens : null,
      capUsd: limits.monthlyBudgetUsd > 0 ? costUsd : null,
      binding:
        leftToday <= leftThisWeek
          ? binding
          : { window: 'week' as const, resetsAt: windows.nextWeek },
    };
  });
}

/** Sets a student's own allowance; both null means "back to the installation default". */
export async function saveUserAllowance(
  db: Db,
  userId: string,
  allowance: { dailyTokens: number | null; weeklyTokens: number | null },
  now: Date,
): Promise<void> {
  if (allowance.dailyTokens === null && allowance.weeklyTokens === null) {
    await deleteUserAllowance(db, userId);
  } else {
    await upsertUserAllowance(db, { userId, ...allowance }, now);
  }
}

/** The turn ended and its calls are in usage_events: its hold goes. */
export async function settleReservation(deps: { db: Db }, reservation: TurnReservation) {
  if (reservation.id) await deleteReservation(deps.db, reservation.id);
}

/** The installation's limits with the user's own allowance (set by an admin) applied. */
export async function limitsForUser(deps: QuotaDeps, userId: string) {
  const { turnsPerMinute, dailyTokens, weeklyTokens, monthlyBudgetUsd } = deps.limits;
  const own = await findUserAllowance(deps.db, userId);
  return {
    turnsPerMinute,
    monthlyBudgetUsd,
    dailyTokens: own?.dailyTokens ?? dailyTokens,
    weeklyTokens: own?.weeklyTokens ?? weeklyTokens,
  };
}

export interface BudgetStatus {
  spentUsd: number;
  budgetUsd: number;
  fraction: number;
  /** 80 % or more: admins are warned. */
  isWarning: boolean;
  isExhausted: boolean;
}

/** What this month's budget has spent plus what running turns hold, in USD. */
export async function spentAndHeldThisMonth(db: Db, now: Date): Promise<number> {
  const [spent, held] = await Promise.all([
    sumCostSince(db, windowStarts(now).month),
    sumReservedCost(db, now),
  ]);
  return spent + held;
}

export async function getBudgetStatus(deps: QuotaDeps): Promise<BudgetStatus> {
  const spentUsd = await sumCostSince(deps.db, windowStarts(deps.clock()).month);
  const budgetUsd = deps.limits.monthlyBudgetUsd;
  const fraction = budgetUsd > 0 ? spentUsd / budgetUsd : 0;
  return {
    spentUsd,
    budgetUsd,
    fraction,
    isWarning: fraction >= 0.8,
    isExhausted: budgetUsd > 0 && fraction >= 1,
  };
}

export async function getMyUsage(
  deps: QuotaDeps,
  userId: string,
  tutorAvailable: boolean,
): Promise<MyUsageResponse> {
  const windows = windowStarts(deps.clock());
  const [usedToday, usedThisWeek, budget, limits] = await Promise.all([
    sumUserTokensSince(deps.db, userId, windows.day),
    sumUserTokensSince(deps.db, userId, windows.week),
    getBudgetStatus(deps),
    limitsForUser(deps, userId),
  ]);
  return {
    day: {
      usedTokens: usedToday,
      limitTokens: limits.dailyTokens || null,
      resetsAt: windows.nextDay.toISOString(),
    },
    week: {
      usedTokens: usedThisWeek,
      limitTokens: limits.weeklyTokens || null,
      resetsAt: windows.nextWeek.toISOString(),
    },
    turnsPerMinute: deps.limits.turnsPerMinute,
    installationPaused: budget.isExhausted,
    tutorAvailable,
  };
}
