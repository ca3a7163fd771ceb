import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricWindows } from './metric-windows.js';

const MINUTE = 60_000;

function setup() {
  let now = Date.UTC(2026, 2, 2, 9, 0);
  const registry = new Registry();
  const counter = new Counter({
    name: 'test_requests_total',
    help: 'requests',
    labelNames: ['route'],
    registers: [registry],
  });
  const windows = createMetricWindows({
    registry,
    metricNames: ['test_requests_total'],
    now: () => now,
  });
  const advance = async (minutes: number, perMinute = 0) => {
    for (let i = 0; i < minutes; i++) {
      now += MINUTE;
      if (perMinute > 0) counter.inc({ route: '/api/x' }, perMinute);
      await windows.snapshot();
    }
  };
  return { windows, advance, counter, start: now };
}

const total = async (windows: ReturnType<typeof setup>['windows'], windowMs: number) =>
  (await windows.increaseOver(windowMs)).samples
    .filter((sample) => sample.name === 'test_requests_total')
    .reduce((sum, sample) => sum + sample.value, 0);

describe('metric windows', () => {
  it('counts from the process start while it is younger than the window', async () => {
    const { windows, advance, start } = setup();
    await advance(30, 2);
    expect(await total(windows, 60 * MINUTE)).toBe(60);
    expect((await windows.increaseOver(60 * MINUTE)).since).toBe(start);
    windows.stop();
  });

  it('leaves out what happened before the last hour, and keeps it in the last day', async () => {
    const { windows, advance } = setup();
    await advance(120, 5); // two busy hours
    await advance(60, 1); // then a quiet one
    expect(await total(windows, 60 * MINUTE)).toBe(60);
    expect(await total(windows, 24 * 60 * MINUTE)).toBe(120 * 5 + 60);
    windows.stop();
  });

  it('gives the day window the oldest quarter-hour snapshot inside it', async () => {
    const { windows, advance } = setup();
    await advance(30 * 60, 1); // thirty hours at one a minute
    const day = await total(windows, 24 * 60 * MINUTE);
    // Quarter-hour snapshots: the base is at most 15 minutes inside the window.
    expect(day).toBeLessThanOrEqual(24 * 60);
    expect(day).toBeGreaterThan(24 * 60 - 15);
    windows.stop();
  });
});
