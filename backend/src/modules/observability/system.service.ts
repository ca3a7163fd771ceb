import {
  PERCENTILE_MIN_COUNT,
  type SystemMetricsResponse,
  type SystemWindow,
} from '@hintbook/contracts';
import { addBuckets, quantileOf, type Buckets } from './histogram-math.js';
import type { MetricWindows, SeriesKey, WindowIncrease } from './metric-windows.js';
import { metricsOff } from './system.errors.js';

/** What the System page reads; createMetricWindows keeps only these. */
export const SYSTEM_METRICS = [
  'hintbook_http_request_duration_seconds',
  'hintbook_http_responses_total',
  'hintbook_ai_call_duration_seconds',
  'hintbook_ai_calls_total',
  'hintbook_turn_first_token_seconds',
  'hintbook_turns_ended_total',
];

const HOUR = 3_600_000;
const MOST_ENDPOINTS = 60;

type Sample = SeriesKey & { value: number };

/** One replica's increases over the last hour and day: what replicas share through Redis. */
export interface ReplicaWindows {
  startedAt: number;
  hour: WindowIncrease;
  day: WindowIncrease;
}

/** This process's increases now (what the page shows alone, and what it shares with peers). */
export async function readReplicaWindows(
  windows: MetricWindows,
  processStartedAt: Date,
): Promise<ReplicaWindows> {
  const [hour, day] = (await windows.increasesOver([HOUR, 24 * HOUR])) as [
    WindowIncrease,
    WindowIncrease,
  ];
  return { startedAt: processStartedAt.getTime(), hour, day };
}

/**
 * P50/P95/P99 per endpoint and provider, error rates and first tokens, last hour and day. With
 * `peers` (Redis set), the other live replicas' increases are added bucket by bucket before any
 * percentile is taken: summing histogram buckets is exact, averaging percentiles is not.
 * `peers` answers undefined when Redis could not be read: the page then shows this process.
 */
export async function getSystemMetrics(deps: {
  /** Absent when METRICS_RECORDING=off. */
  windows: MetricWindows | undefined;
  processStartedAt: Date;
  now: Date;
  peers?: (() => Promise<ReplicaWindows[] | undefined>) | undefined;
}): Promise<SystemMetricsResponse> {
  if (!deps.windows) throw metricsOff();
  const [own, peers] = await Promise.all([
    readReplicaWindows(deps.windows, deps.processStartedAt),
    deps.peers?.(),
  ]);
  const replicas = [own, ...(peers ?? [])];
  const hour = mergeIncreases(replicas.map((replica) => replica.hour));
  const day = mergeIncreases(replicas.map((replica) => replica.day));
  return {
    generatedAt: deps.now.toISOString(),
    processStartedAt: new Date(
      Math.min(...replicas.map((replica) => replica.startedAt)),
    ).toISOString(),
    scope: peers ? 'replicas' : 'process',
    replicas: replicas.length,
    hour: windowReport(hour.since, hour.samples),
    day: windowReport(day.since, day.samples),
  };
}

/** Same series (name and labels) summed; the window starts at the earliest replica's start. */
function mergeIncreases(increases: WindowIncrease[]): WindowIncrease {
  const bySeries = new Map<string, Sample>();
  for (const { samples } of increases)
    for (const sample of samples) {
      const id = seriesId(sample);
      const merged = bySeries.get(id);
      if (merged) merged.value += sample.value;
      else bySeries.set(id, { ...sample });
    }
  return {
    since: Math.min(...increases.map((increase) => increase.since)),
    samples: [...bySeries.values()],
  };
}

/** Label order is not part of a series' identity. */
function seriesId({ name, labels }: SeriesKey): string {
  return `${name}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))}`;
}

function windowReport(since: number, samples: Sample[]): SystemWindow {
  const endpoints = histogramsBy(samples, 'hintbook_http_request_duration_seconds', [
    'route',
    'method',
  ]);
  const responses = countsBy(samples, 'hintbook_http_responses_total', ['route', 'method']);
  const providers = histogramsBy(samples, 'hintbook_ai_call_duration_seconds', [
    'provider',
    'kind',
  ]);
  const calls = countsBy(samples, 'hintbook_ai_calls_total', ['provider', 'kind']);
  const firstToken = histogramsBy(samples, 'hintbook_turn_first_token_seconds', []).get('[]') ?? {
    bounds: [],
    counts: [],
  };
  const turns = countsBy(samples, 'hintbook_turns_ended_total', ['outcome']);
  const turnCount = (outcome: string) =>
    Math.round(turns.get(JSON.stringify([outcome]))?.total ?? 0);

  return {
    since: new Date(since).toISOString(),
    endpoints: [...endpoints]
      .map(([key, buckets]) => {
        const [route = '', method = ''] = JSON.parse(key) as string[];
        const counted = responses.get(key);
        return {
          route,
          method,
          ...percentiles(buckets),
          errorRate: rate(counted?.byLabel.get('5xx'), counted?.total),
        };
      })
      .filter((row) => row.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, MOST_ENDPOINTS),
    providers: [...providers]
      .map(([key, buckets]) => {
        const [provider = '', kind = ''] = JSON.parse(key) as string[];
        const counted = calls.get(key);
        return {
          provider,
          kind,
          ...percentiles(buckets),
          errorRate: rate(counted?.byLabel.get('error'), counted?.total),
        };
      })
      .filter((row) => row.count > 0)
      .sort((a, b) => a.provider.localeCompare(b.provider) || a.kind.localeCompare(b.kind)),
    firstToken: {
      ...percentiles(firstToken),
      distribution: firstToken.bounds.map((bound, index) => ({
        upToMs: Number.isFinite(bound) ? bound * 1000 : null,
        count: Math.round(firstToken.counts[index]! - (firstToken.counts[index - 1] ?? 0)),
      })),
    },
    turns: {
      completed: turnCount('completed'),
      interrupted: turnCount('interrupted'),
      failed: turnCount('failed'),
    },
  };
}

function percentiles(buckets: Buckets) {
  const ms = (q: number) => {
    const seconds = quantileOf(buckets, q);
    return seconds === undefined ? null : Math.round(seconds * 100_000) / 100;
  };
  const count = Math.round(buckets.counts.at(-1) ?? 0);
  return {
    count,
    p50Ms: ms(0.5),
    p95Ms: count >= PERCENTILE_MIN_COUNT.p95Ms ? ms(0.95) : null,
    p99Ms: count >= PERCENTILE_MIN_COUNT.p99Ms ? ms(0.99) : null,
  };
}

const rate = (part = 0, total = 0) => (total > 0 ? Math.min(1, part / total) : 0);

/** Buckets of a histogram summed over every label not in `by` (e.g. over models). */
function histogramsBy(samples: Sample[], name: string, by: string[]): Map<string, Buckets> {
  const perSeries = new Map<string, { group: string; bounds: number[]; counts: number[] }>();
  for (const sample of samples) {
    if (sample.name !== `${name}_bucket`) continue;
    const { le, ...labels } = sample.labels;
    const series = JSON.stringify(labels);
    const entry = perSeries.get(series) ?? {
      group: JSON.stringify(by.map((label) => labels[label] ?? '')),
      bounds: [],
      counts: [],
    };
    entry.bounds.push(le === '+Inf' ? Infinity : Number(le));
    entry.counts.push(sample.value);
    perSeries.set(series, entry);
  }
  const grouped = new Map<string, Buckets>();
  for (const { group, bounds, counts } of perSeries.values())
    grouped.set(group, addBuckets(grouped.get(group), { bounds, counts }));
  return grouped;
}

/** Counter totals grouped by `by`, with a breakdown by status class or outcome. */
function countsBy(samples: Sample[], name: string, by: string[]) {
  const grouped = new Map<string, { total: number; byLabel: Map<string, number> }>();
  for (const sample of samples) {
    if (sample.name !== name) continue;
    const group = JSON.stringify(by.map((label) => sample.labels[label] ?? ''));
    const entry = grouped.get(group) ?? { total: 0, byLabel: new Map<string, number>() };
    entry.total += sample.value;
    const detail = sample.labels.status_class ?? sample.labels.outcome ?? '';
    entry.byLabel.set(detail, (entry.byLabel.get(detail) ?? 0) + sample.value);
    grouped.set(group, entry);
  }
  return grouped;
}
