import type { Clock } from '../lib/clock.js';

/** A clock tests can move: `clock.advance(15 * 60_000)` instead of waiting. */
export function createTestClock(start = new Date('2026-01-05T09:00:00Z')) {
  let now = start.getTime();
  const clock: Clock & { advance(ms: number): void; set(date: Date): void } = Object.assign(
    () => new Date(now),
    {
      advance(ms: number) {
        now += ms;
      },
      set(date: Date) {
        now = date.getTime();
      },
    },
  );
  return clock;
}
