import { PERCENTILE_MIN_COUNT } from '@hintbook/contracts';

/**
 * Why a P95 or P99 shows a dash: the backend gives a tail percentile only from enough
 * observations (one slow request would otherwise be "the P99"). Shown only when some row has
 * fewer than that.
 */
export function TailPercentileNote({ count, noun }: { count: number; noun: string }) {
  if (count >= PERCENTILE_MIN_COUNT.p99Ms) return null;
  return (
    <p className="system-note">
      P95 is shown from {PERCENTILE_MIN_COUNT.p95Ms} {noun} on, P99 from{' '}
      {PERCENTILE_MIN_COUNT.p99Ms}: with fewer, one slow one would decide them.
    </p>
  );
}
