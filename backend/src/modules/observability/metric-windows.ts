import type { Registry } from 'prom-client';

/**
 * The process's counters and histogram buckets as they were a minute, an hour or a day ago, so
 * "the last hour" is now minus then (what Prometheus's increase() does, without Prometheus).
 * Snapshots are flat number arrays over a shared series index: a minute ring for the hour and a
 * quarter-hour ring for the day, about a thousand numbers each.
 */

/** One sample: metric name and labels (a histogram bucket keeps its `le`). */
export interface SeriesKey {
  name: string;
  labels: Record<string, string>;
}

export interface Frame {
  at: number;
  values: Float64Array;
}

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;

/** Every kept series' increase over a window, and when the data in it starts (ms). */
export interface WindowIncrease {
  since: number;
  samples: Array<SeriesKey & { value: number }>;
}

export interface MetricWindows {
  /** Every series' increase since `windowMs` ago (since the process started when younger). */
  increaseOver(windowMs: number): Promise<WindowIncrease>;
  /** The same for several windows from one read of the registry. */
  increasesOver(windowsMs: number[]): Promise<WindowIncrease[]>;
  /** Takes a snapshot now (the timer calls it each minute; tests call it directly). */
  snapshot(): Promise<void>;
  stop(): void;
}

export function createMetricWindows(options: {
  registry: Registry;
  /** Only these metrics are kept (the System page's). */
  metricNames: string[];
  now?: () => number;
}): MetricWindows {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const keys: SeriesKey[] = [];
  const indexOf = new Map<string, number>();
  const minutes: Frame[] = [];
  const quarters: Frame[] = [];

  async function read(): Promise<Frame> {
    const values: number[] = [];
    for (const name of options.metricNames) {
      const metric = options.registry.getSingleMetric(name);
      if (!metric) continue;
      for (const sample of (await metric.get()).values) {
        // Histograms name each sample (`_bucket`, `_sum`, `_count`); counters do not.
        const sampleName = (sample as { metricName?: string }).metricName ?? name;
        // Built by hand: JSON.stringify per sample made a snapshot of a by-route histogram
        // several times slower. prom-client writes one metric's labels in one order.
        let id = sampleName;
        for (const key in sample.labels) id += `\u0000${key}=${sample.labels[key]}`;
        let index = indexOf.get(id);
        if (index === undefined) {
          const labels = Object.fromEntries(
            Object.entries(sample.labels).map(([key, value]) => [key, String(value)]),
          );
          index = keys.push({ name: sampleName, labels }) - 1;
          indexOf.set(id, index);
        }
        values[index] = sample.value;
      }
      // A histogram by route is thousands of samples: let the turns' events in between metrics.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return {
      at: now(),
      values: Float64Array.from({ length: keys.length }, (_, i) => values[i] ?? 0),
    };
  }

  async function snapshot() {
    const frame = await read();
    minutes.push(frame);
    if (minutes.length > 61) minutes.shift();
    if (quarters.length === 0 || frame.at - quarters.at(-1)!.at >= QUARTER) {
      quarters.push(frame);
      if (quarters.length > 97) quarters.shift();
    }
  }

  const timer = setInterval(() => void snapshot().catch(() => {}), MINUTE);
  timer.unref();

  function increaseFrom(current: Frame, windowMs: number): WindowIncrease {
    const ring = windowMs <= 60 * MINUTE ? minutes : quarters;
    // The oldest snapshot inside the window; none (process younger): counting from zero.
    const base = ring.find((frame) => frame.at >= current.at - windowMs);
    const isYoungerThanWindow = current.at - startedAt <= windowMs;
    const from = isYoungerThanWindow || !base ? undefined : base;
    return {
      since: from?.at ?? startedAt,
      samples: keys.map((key, index) => ({
        ...key,
        value: (current.values[index] ?? 0) - (from?.values[index] ?? 0),
      })),
    };
  }

  return {
    async increaseOver(windowMs) {
      return increaseFrom(await read(), windowMs);
    },
    async increasesOver(windowsMs) {
      const current = await read();
      const increases: WindowIncrease[] = [];
      for (const windowMs of windowsMs) {
        if (increases.length > 0) await new Promise((resolve) => setImmediate(resolve));
        increases.push(increaseFrom(current, windowMs));
      }
      return increases;
    },
    snapshot,
    stop: () => clearInterval(timer),
  };
}
