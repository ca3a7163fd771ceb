/** One histogram's cumulative bucket counts: `le` upper bounds ascending, +Inf last. */
export interface Buckets {
  bounds: number[];
  counts: number[];
}

/**
 * The q-quantile of a bucketed histogram, interpolated linearly inside its bucket, exactly as
 * Prometheus's histogram_quantile does; undefined when there is no observation. A quantile in
 * the +Inf bucket answers the largest finite bound (all we know is "more than that").
 */
export function quantileOf(buckets: Buckets, q: number): number | undefined {
  const total = buckets.counts.at(-1) ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  const index = buckets.counts.findIndex((count) => count >= rank);
  const upper = buckets.bounds[index]!;
  const lower = index === 0 ? 0 : buckets.bounds[index - 1]!;
  if (!Number.isFinite(upper)) return lower;
  const below = index === 0 ? 0 : buckets.counts[index - 1]!;
  const inBucket = buckets.counts[index]! - below;
  return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
}

/** Element-wise sum of cumulative counts over the same bounds (merging label sets). */
export function addBuckets(into: Buckets | undefined, more: Buckets): Buckets {
  if (!into) return { bounds: more.bounds, counts: [...more.counts] };
  more.counts.forEach((count, index) => (into.counts[index] = (into.counts[index] ?? 0) + count));
  return into;
}
