/**
 * Latency samples kept as a sparse histogram of 10 µs buckets, so workers can send hundreds of
 * thousands of samples to the parent cheaply and histograms merge exactly.
 */
export type Histogram = Record<string, number>;

const BUCKET_MS = 0.01;

export function addSample(histogram: Histogram, valueMs: number): void {
  const key = String(Math.round(valueMs / BUCKET_MS));
  histogram[key] = (histogram[key] ?? 0) + 1;
}

export function mergeHistograms(...histograms: Histogram[]): Histogram {
  const merged: Histogram = {};
  for (const histogram of histograms) {
    for (const [key, count] of Object.entries(histogram)) merged[key] = (merged[key] ?? 0) + count;
  }
  return merged;
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(histogram: Histogram): Summary {
  const entries = Object.entries(histogram)
    .map(([key, count]) => [Number(key) * BUCKET_MS, count] as const)
    .sort((a, b) => a[0] - b[0]);
  const count = entries.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const at = (fraction: number) => {
    const rank = Math.ceil(fraction * count);
    let seen = 0;
    for (const [value, n] of entries) {
      seen += n;
      if (seen >= rank) return value;
    }
    return entries[entries.length - 1]![0];
  };
  const total = entries.reduce((sum, [value, n]) => sum + value * n, 0);
  return {
    count,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: entries[entries.length - 1]![0],
    mean: total / count,
  };
}

export function summarizeValues(values: number[]): Summary {
  const histogram: Histogram = {};
  for (const value of values) addSample(histogram, value);
  return summarize(histogram);
}

export const round = (value: number, digits = 2) =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
