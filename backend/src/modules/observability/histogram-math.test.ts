import { describe, expect, it } from 'vitest';
import { quantileOf } from './histogram-math.js';

const bounds = [0.1, 0.5, 1, Infinity];

describe('quantileOf', () => {
  it('interpolates inside the bucket the rank falls in, like histogram_quantile', () => {
    // 10 observations: 4 up to 0.1 s, 4 more up to 0.5 s, 2 more up to 1 s.
    const buckets = { bounds, counts: [4, 8, 10, 10] };
    expect(quantileOf(buckets, 0.5)).toBeCloseTo(0.1 + 0.4 * (1 / 4));
    expect(quantileOf(buckets, 0.2)).toBeCloseTo(0.05);
    expect(quantileOf(buckets, 0.95)).toBeCloseTo(0.5 + 0.5 * (1.5 / 2));
  });

  it('answers the largest finite bound for a quantile beyond every bucket', () => {
    expect(quantileOf({ bounds, counts: [0, 0, 1, 4] }, 0.99)).toBe(1);
  });

  it('has no answer for an empty histogram', () => {
    expect(quantileOf({ bounds, counts: [0, 0, 0, 0] }, 0.5)).toBeUndefined();
  });
});
