import type { AdminUsageResponse } from '@hintbook/contracts';
import type { z } from 'zod';
import type { adminUsageQuerySchema } from '@hintbook/contracts';
import { getBudgetStatus, windowStarts, type QuotaDeps } from './quota.service.js';
import { sumUsageByPeriod } from './usage-report.repository.js';

const DAY_MS = 86_400_000;

/** Usage and cost over a range (default: the last 30 days), grouped for charts, with the budget. */
export async function getUsageReport(
  deps: QuotaDeps,
  query: z.output<typeof adminUsageQuerySchema>,
): Promise<AdminUsageResponse> {
  const now = deps.clock();
  const to = query.to ? new Date(query.to) : new Date(windowStarts(now).nextDay);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  const [series, budget] = await Promise.all([
    sumUsageByPeriod(deps.db, { from, to, groupBy: query.groupBy, by: query.by }),
    getBudget(deps),
  ]);
  const totals = series.reduce(
    (sum, point) => ({
      inputTokens: sum.inputTokens + point.inputTokens,
      outputTokens: sum.outputTokens + point.outputTokens,
      costUsd: sum.costUsd + point.costUsd,
      calls: sum.calls + point.calls,
    }),
    { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 },
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy: query.groupBy,
    by: query.by,
    series: series.map((point) => ({ ...point, period: point.period.toISOString() })),
    totals: { ...totals, costUsd: Math.round(totals.costUsd * 1e6) / 1e6 },
    budget,
  };
}

/** The month's spend against the (runtime) budget; `isWarning` drives the 80 % banner. */
export function getBudget(deps: QuotaDeps) {
  return getBudgetStatus({ db: deps.db, limits: deps.limits, clock: deps.clock });
}
