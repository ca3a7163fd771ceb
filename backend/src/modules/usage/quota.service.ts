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
import { createKeyedMutex, type KeyedMutex } from '../../lib/keyed-mutex.js';
import {
  createReservation,
  deleteReservation,
  lockReservations,
  findMonthCost,
  findUserPeriodTokens,
  sumReservedCost,
  sumSpendingTotals,
  type SpendingTotals,
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

/** The student's limits and questions of the last minute, read once per send. */
export interface TurnLimitsCheck {
  limits: Awaited<ReturnType<typeof limitsForUser>>;
  /** Enough left, by a lock-free read, that the turn may start before its hold is taken. */
  hasRoomToOverlap: boolean;
}

/**
 * How many turns' worth must be left, beyond every turn running here, before an answer call may
 * start beside its reservation rather than after it. A reservation taken beside the call can
 * still be refused (turns elsewhere took what was left); the call is then aborted and billed
 * what it used, which this margin keeps within the limit.
 */
export const OVERLAP_MARGIN_TURNS = 4;

/**
 * Refuses a turn over its rate limit, and says (from a lock-free read of the same counters the
 * reservation sums) whether the student is far enough from every allowance and the budget for
 * the answer to start beside the reservation. Near a limit the turn reserves first.
 */
/** The rate limit counts a student's questions over this window. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

export async function checkTurnLimits(
  deps: QuotaDeps,
  userId: string,
  estimate: { tokens: number; costUsd: number },
  /** The student's questions since then (chat owns the messages; usage only counts them). */
  countQuestionsSince: (since: Date) => Promise<number>,
  /** Turns running in this process: each may still take up to its estimate. */
  runningTurns: number,
): Promise<TurnLimitsCheck> {
  const now = deps.clock();
  const windows = windowStarts(now);
  // What this process's last holds saw under the lock, when recent enough; else read.
  const seen = seenTotals(deps.db, userId, now.getTime());
  const [limits, recent, totals] = await Promise.all([
    limitsForUser(deps, userId),
    countQuestionsSince(new Date(now.getTime() - RATE_LIMIT_WINDOW_MS)),
    seen ??
      (hasLimits(deps.limits) ? sumSpendingTotals(deps.db, { userId, ...windows, now }) : null),
  ]);
  if (recent >= limits.turnsPerMinute) throw chatRateLimited(60);
  if (!hasLimits(limits)) return { limits, hasRoomToOverlap: true };
  if (!totals) return { limits, hasRoomToOverlap: false };
  const margin = OVERLAP_MARGIN_TURNS + runningTurns;
  const left = leftOf(limits, totals);
  return {
    limits,
    hasRoomToOverlap:
      left.today >= margin * estimate.tokens &&
      left.thisWeek >= margin * estimate.tokens &&
      left.usd >= margin * estimate.costUsd,
  };
}

/** Any token allowance or budget at all (the installation's, or a student's own). */
function hasLimits(limits: Pick<ChatLimits, 'dailyTokens' | 'weeklyTokens' | 'monthlyBudgetUsd'>) {
  return limits.dailyTokens > 0 || limits.weeklyTokens > 0 || limits.monthlyBudgetUsd > 0;
}

function leftOf(limits: TurnLimitsCheck['limits'], totals: SpendingTotals) {
  return {
    today:
      limits.dailyTokens > 0
        ? limits.dailyTokens - totals.usedToday - totals.reservedTokens
        : Infinity,
    thisWeek:
      limits.weeklyTokens > 0
        ? limits.weeklyTokens - totals.usedThisWeek - totals.reservedTokens
        : Infinity,
    usd:
      limits.monthlyBudgetUsd > 0
        ? limits.monthlyBudgetUsd - totals.spentThisMonth - totals.reservedCost
        : Infinity,
  };
}

/**
 * Refuses a new turn when the student is over a limit, else reserves what the turn may spend:
 * its estimate, or what is left when that is less. Counters are the running totals of
 * usage_events (usage.repository.ts) plus the running turns' reservations, under one lock, so
 * concurrent turns (tabs, replicas) cannot together overspend; the turn ends itself when it reaches its caps. `0` disables a limit.
 * `limits` come from `checkTurnLimits`, which also applied the rate limit.
 */
export async function reserveTurn(
  deps: QuotaDeps,
  userId: string,
  estimate: { tokens: number; costUsd: number },
  limits: TurnLimitsCheck['limits'],
): Promise<TurnReservation> {
  const now = deps.clock();
  const windows = windowStarts(now);
  const binding = { window: 'day' as const, resetsAt: windows.nextDay };
  const hasTokenLimit = limits.dailyTokens > 0 || limits.weeklyTokens > 0;
  if (!hasLimits(limits)) return { id: null, capTokens: null, capUsd: null, binding };

  const scope = limits.monthlyBudgetUsd > 0 ? 'installation' : { userId };
  return holdQueueOf(deps.db).run(scope === 'installation' ? scope : `user:${userId}`, () =>
    withTransaction(deps.db, async (tx) => {
      await lockReservations(tx, scope);
      const totals = await sumSpendingTotals(tx, { userId, ...windows, now });
      const left = leftOf(limits, totals);
      if (left.today <= 0) throw allowanceExhausted('day', windows.nextDay);
      if (left.thisWeek <= 0) throw allowanceExhausted('week', windows.nextWeek);
      if (left.usd <= 0) throw budgetExhausted();
      const tokens = Math.min(estimate.tokens, left.today, left.thisWeek);
      const costUsd = Math.min(estimate.costUsd, left.usd);
      const held = Number.isFinite(costUsd) ? costUsd : 0;
      const id = await createReservation(tx, {
        userId,
        tokens,
        costUsd: held,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESERVATION_TTL_MS),
      });
      // Seen under the lock, this hold included: the next turn's look needs no read.
      remember(deps.db, userId, now.getTime(), {
        ...totals,
        reservedTokens: totals.reservedTokens + tokens,
        reservedCost: totals.reservedCost + held,
      });
      return {
        id,
        capTokens: hasTokenLimit ? tokens : null,
        capUsd: limits.monthlyBudgetUsd > 0 ? costUsd : null,
        binding:
          left.today <= left.thisWeek
            ? binding
            : { window: 'week' as const, resetsAt: windows.nextWeek },
      };
    }),
  );
}

/**
 * How old the counters a hold saw may be and still decide, without a read, whether the next turn
 * may start beside its hold. Installation-wide counters move with every student, so only briefly;
 * a student's own move with their own turns. Either way the hold itself reads under the lock: a
 * stale view can only send a turn the sequential way or, within OVERLAP_MARGIN_TURNS, have its
 * hold refused after the call started (aborted and billed). Old windows count as spent: stale
 * counters only err towards less room.
 */
const SEEN_INSTALLATION_MS = 2_000;
const SEEN_USER_MS = 10_000;

interface SeenCounters {
  installation?: { at: number; spentThisMonth: number; reservedCost: number };
  users: Map<
    string,
    { at: number; usedToday: number; usedThisWeek: number; reservedTokens: number }
  >;
}
const seenByDb = new WeakMap<Db, SeenCounters>();

function remember(db: Db, userId: string, at: number, totals: SpendingTotals) {
  let seen = seenByDb.get(db);
  if (!seen) {
    seen = { users: new Map() };
    seenByDb.set(db, seen);
  }
  seen.installation = {
    at,
    spentThisMonth: totals.spentThisMonth,
    reservedCost: totals.reservedCost,
  };
  seen.users.set(userId, {
    at,
    usedToday: totals.usedToday,
    usedThisWeek: totals.usedThisWeek,
    reservedTokens: totals.reservedTokens,
  });
}

function seenTotals(db: Db, userId: string, now: number): SpendingTotals | undefined {
  const seen = seenByDb.get(db);
  const user = seen?.users.get(userId);
  if (user && now - user.at > SEEN_USER_MS) seen!.users.delete(userId);
  const installation = seen?.installation;
  if (!user || now - user.at > SEEN_USER_MS) return undefined;
  if (!installation || now - installation.at > SEEN_INSTALLATION_MS) return undefined;
  return {
    usedToday: user.usedToday,
    usedThisWeek: user.usedThisWeek,
    reservedTokens: user.reservedTokens,
    spentThisMonth: installation.spentThisMonth,
    reservedCost: installation.reservedCost,
  };
}

/**
 * Per database, this process's queue in front of the reservation lock: at 100 turns a second a
 * hold waiting for the lock would otherwise sit on a pool connection, and a dozen of them leave
 * none for the turns' reads. Other processes still meet at the database's lock.
 */
const holdQueues = new WeakMap<Db, KeyedMutex>();
function holdQueueOf(db: Db): KeyedMutex {
  let queue = holdQueues.get(db);
  if (!queue) {
    queue = createKeyedMutex();
    holdQueues.set(db, queue);
  }
  return queue;
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
    findMonthCost(db, windowStarts(now).month),
    sumReservedCost(db, now),
  ]);
  return spent + held;
}

export async function getBudgetStatus(deps: QuotaDeps): Promise<BudgetStatus> {
  const spentUsd = await findMonthCost(deps.db, windowStarts(deps.clock()).month);
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
    findUserPeriodTokens(deps.db, userId, 'day', windows.day),
    findUserPeriodTokens(deps.db, userId, 'week', windows.week),
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
    messageMaxLength: deps.limits.messageMaxLength,
    installationPaused: budget.isExhausted,
    tutorAvailable,
  };
}
