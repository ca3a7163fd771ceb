import { describe, expect, it } from 'vitest';
import type { UsagePoint } from '@hintbook/contracts';
import { periodsBetween, toChartData } from './usage-series';

const point = (period: string, key: string, inputTokens: number): UsagePoint => ({
  period,
  key,
  label: null,
  inputTokens,
  outputTokens: 0,
  costUsd: 0,
  calls: 1,
});

describe('periodsBetween', () => {
  it('lists every UTC day from the one holding `from` up to the exclusive `to`', () => {
    expect(periodsBetween('2026-12-04T09:30:00.000Z', '2026-12-07T00:00:00.000Z', 'day')).toEqual([
      '2026-12-04T00:00:00.000Z',
      '2026-12-05T00:00:00.000Z',
      '2026-12-06T00:00:00.000Z',
    ]);
  });

  it('starts weeks on Monday and months on the first, as the API groups them', () => {
    // 2026-12-06 is a Sunday: its week began on Monday 30 November.
    expect(periodsBetween('2026-12-06T12:00:00.000Z', '2026-12-15T00:00:00.000Z', 'week')).toEqual([
      '2026-11-30T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
      '2026-12-14T00:00:00.000Z',
    ]);
    expect(periodsBetween('2026-11-20T00:00:00.000Z', '2027-01-02T00:00:00.000Z', 'month')).toEqual(
      ['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    );
  });
});

describe('toChartData', () => {
  it('gives empty periods a row of their own, so one busy day does not fill the chart', () => {
    const periods = periodsBetween('2026-12-04T00:00:00.000Z', '2026-12-07T00:00:00.000Z', 'day');
    const data = toChartData(
      [point('2026-12-05T00:00:00.000Z', 'model-a', 300)],
      'tokens',
      periods,
    );
    expect(data.rows).toEqual([
      { period: '2026-12-04T00:00:00.000Z' },
      { period: '2026-12-05T00:00:00.000Z', s0: 300 },
      { period: '2026-12-06T00:00:00.000Z' },
    ]);
    expect(data.keys).toEqual([{ dataKey: 's0', label: 'model-a' }]);
  });
});
