const DAY_MS = 86_400_000;

/** Conversations last touched before this go; null keeps everything (0 days = forever). */
export function retentionCutoff(now: Date, days: number): Date | null {
  if (days <= 0) return null;
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * How long until the next nightly sweep, at `hourUtc` o'clock UTC (a quiet hour for schools in
 * Europe; elsewhere it is merely some hour of the day, which is all retention needs).
 */
export function msUntilNextSweep(now: Date, hourUtc = 3): number {
  const next = new Date(now);
  next.setUTCHours(hourUtc, 0, 0, 0);
  if (next.getTime() <= now.getTime()) next.setTime(next.getTime() + DAY_MS);
  return next.getTime() - now.getTime();
}
