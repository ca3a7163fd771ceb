import type { MyUsageResponse } from '@hintbook/contracts';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { allowanceExhausted, budgetExhausted, chatRateLimited } from '../chat/chat.errors.js';
import { countQuestionsSince } from '../chat/messages.repository.js';
import { findUserAllowance } from '../settings/settings.repository.js';
import { sumCostSince, sumUserTokensSince } from './usage.repository.js';

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

/**
 * Refuses a new turn when the student is over a limit. Every counter is a query over Postgres,
 * so limits hold across restarts and replicas. `0` disables a token allowance or the budget.
 */
export async function assertTurnAllowed(deps: QuotaDeps, userId: string): Promise<void> {
  const now = deps.clock();
  const windows = windowStarts(now);
  const limits = await limitsForUser(deps, userId);
  // Independent counters: ask for them together, so a turn starts one round trip later, not four.
  const [recent, usedToday, usedThisWeek, spent] = await Promise.all([
    countQuestionsSince(deps.db, userId, new Date(now.getTime() - 60_000)),
    limits.dailyTokens > 0 ? sumUserTokensSince(deps.db, userId, windows.day) : 0,
    limits.weeklyTokens > 0 ? sumUserTokensSince(deps.db, userId, windows.week) : 0,
    limits.monthlyBudgetUsd > 0 ? sumCostSince(deps.db, windows.month) : 0,
  ]);
  if (recent >= limits.turnsPerMinute) throw chatRateLimited(60);
  if (limits.dailyTokens > 0 && usedToday >= limits.dailyTokens)
    throw allowanceExhausted('day', windows.nextDay);
  if (limits.weeklyTokens > 0 && usedThisWeek >= limits.weeklyTokens) {
    throw allowanceExhausted('week', windows.nextWeek);
  }
  if (limits.monthlyBudgetUsd > 0 && spent >= limits.monthlyBudgetUsd) throw budgetExhausted();
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
