import { performance } from 'node:perf_hooks';

/**
 * This process's offset to the fake provider's `performance.now()`, NTP-style: the fake's clock
 * read at the midpoint of the fastest of many round trips to its `GET /clock`. Adding `offset`
 * to this process's `performance.now()` puts its times on the fake's clock, as every bench
 * process does (the error bound is half `rtt`).
 */
export async function measureClockOffset(clockUrl: string, roundTrips = 200) {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < roundTrips; i += 1) {
    const before = performance.now();
    const response = await fetch(`${clockUrl}/clock`);
    const { now } = (await response.json()) as { now: number };
    const after = performance.now();
    if (after - before < best.rtt)
      best = { rtt: after - before, offset: now - (before + after) / 2 };
  }
  return best;
}
