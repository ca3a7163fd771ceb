import type { UsagePoint } from '@hintbook/contracts';

export type UsageMetric = 'tokens' | 'cost';

export interface UsageSeriesKey {
  /** The data key in each row (stable, safe for the chart). */
  dataKey: string;
  label: string;
}

export interface UsageChartData {
  keys: UsageSeriesKey[];
  /** One row per period, in time order: `period` plus one number per key. */
  rows: Array<Record<string, number | string>>;
}

const MAX_SERIES = 7;
const OTHER = 'other';

/** What a point is called: the username for users, the model or provider name otherwise. */
export function pointLabel(point: UsagePoint): string {
  if (point.label) return point.label;
  if (point.key === null) return 'Deleted accounts';
  return point.key;
}

function valueOf(point: UsagePoint, metric: UsageMetric): number {
  return metric === 'cost' ? point.costUsd : point.inputTokens + point.outputTokens;
}

export type UsageGroupBy = 'day' | 'week' | 'month';

/** The period (UTC day, Monday-based week or month, as the API groups) that holds a moment. */
function periodStart(moment: Date, groupBy: UsageGroupBy): Date {
  const start = new Date(
    Date.UTC(moment.getUTCFullYear(), moment.getUTCMonth(), moment.getUTCDate()),
  );
  if (groupBy === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (groupBy === 'month') start.setUTCDate(1);
  return start;
}

/**
 * Every period that overlaps `[from, to)`, in order, as the API's ISO period keys. The chart
 * needs the empty ones too: without them one busy day fills the whole width of "the last 30 days".
 */
export function periodsBetween(from: string, to: string, groupBy: UsageGroupBy): string[] {
  const end = Date.parse(to);
  const periods: string[] = [];
  for (
    let start = periodStart(new Date(from), groupBy);
    start.getTime() < end;
    groupBy === 'month'
      ? start.setUTCMonth(start.getUTCMonth() + 1)
      : start.setUTCDate(start.getUTCDate() + (groupBy === 'week' ? 7 : 1))
  )
    periods.push(start.toISOString());
  return periods;
}

/**
 * Reshapes the API's flat series into stacked-bar rows: the biggest keys get their own colour,
 * the rest are summed as "Other" so the legend stays readable. With `periods`, every one of them
 * gets a row, empty ones included, so the time axis is even.
 */
export function toChartData(
  series: UsagePoint[],
  metric: UsageMetric,
  periods: string[] = [],
): UsageChartData {
  const totals = new Map<string, { label: string; total: number }>();
  for (const point of series) {
    const key = point.key ?? '';
    const entry = totals.get(key) ?? { label: pointLabel(point), total: 0 };
    entry.total += valueOf(point, metric);
    totals.set(key, entry);
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1].total - a[1].total);
  const hasOther = ranked.length > MAX_SERIES;
  const kept = hasOther ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const dataKeyOf = new Map(kept.map(([key], index) => [key, `s${index}`]));
  const keys: UsageSeriesKey[] = kept.map(([, entry], index) => ({
    dataKey: `s${index}`,
    label: entry.label,
  }));
  if (hasOther) keys.push({ dataKey: OTHER, label: 'Other' });

  const rows = new Map<string, Record<string, number | string>>(
    periods.map((period) => [period, { period }]),
  );
  for (const point of series) {
    const row = rows.get(point.period) ?? { period: point.period };
    const dataKey = dataKeyOf.get(point.key ?? '') ?? OTHER;
    row[dataKey] = ((row[dataKey] as number | undefined) ?? 0) + valueOf(point, metric);
    rows.set(point.period, row);
  }
  const ordered = [...rows.values()].sort((a, b) =>
    String(a.period).localeCompare(String(b.period)),
  );
  return { keys, rows: ordered };
}
