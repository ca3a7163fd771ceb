import { describe, expect, it } from 'vitest';
import { msUntilNextSweep, retentionCutoff } from './retention.rules.js';

describe('retention rules', () => {
  it('keeps conversations forever when no retention is set', () => {
    expect(retentionCutoff(new Date('2026-03-01T00:00:00Z'), 0)).toBeNull();
  });

  it('deletes what was last touched more than the given days ago', () => {
    expect(retentionCutoff(new Date('2026-03-31T12:00:00Z'), 30)).toEqual(
      new Date('2026-03-01T12:00:00Z'),
    );
  });

  it('sweeps at three in the night UTC, later the same day when it is not yet three', () => {
    expect(msUntilNextSweep(new Date('2026-03-01T01:30:00Z'))).toBe(90 * 60_000);
  });

  it('sweeps the next night when three o’clock has passed', () => {
    expect(msUntilNextSweep(new Date('2026-03-01T03:00:00Z'))).toBe(24 * 3_600_000);
    expect(msUntilNextSweep(new Date('2026-03-01T23:00:00Z'))).toBe(4 * 3_600_000);
  });
});
