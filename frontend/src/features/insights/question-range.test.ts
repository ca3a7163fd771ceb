import { describe, expect, it } from 'vitest';
import { toRangeQuery } from './question-range';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');

describe('toRangeQuery', () => {
  it('asks for the last N days up to now', () => {
    expect(toRangeQuery({ choice: '7', fromDate: '', toDate: '' }, NOW)).toEqual({
      from: '2026-11-17T12:00:00.000Z',
    });
  });

  it('turns picked dates into whole days, the last one included', () => {
    const query = toRangeQuery(
      { choice: 'custom', fromDate: '2026-11-01', toDate: '2026-11-03' },
      NOW,
    );
    expect(query).toEqual({
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 4).toISOString(),
    });
  });

  it('explains missing, invalid or reversed dates instead of asking', () => {
    const custom = (fromDate: string, toDate: string) =>
      toRangeQuery({ choice: 'custom', fromDate, toDate }, NOW);
    expect(custom('', '2026-11-03')).toEqual({ problem: 'Choose both dates.' });
    expect(custom('2026-11-99', '2026-11-03')).toEqual({ problem: 'Those dates are not valid.' });
    expect(custom('2026-11-04', '2026-11-03')).toEqual({
      problem: 'The first day must not be after the last day.',
    });
    expect(custom('2026-11-03', '2026-11-03')).not.toHaveProperty('problem');
  });
});
