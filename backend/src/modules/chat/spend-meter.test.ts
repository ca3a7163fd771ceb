import { describe, expect, it } from 'vitest';
import { createSpendMeter } from './spend-meter.js';

const reservation = (capTokens: number | null, capUsd: number | null) => ({
  id: 'r',
  capTokens,
  capUsd,
  binding: { window: 'day' as const, resetsAt: new Date(0) },
});
const dollarPerThousand = (usage: { inputTokens: number; outputTokens: number }) =>
  (usage.inputTokens + usage.outputTokens) / 1000;

describe('spend meter', () => {
  it('says which call would not fit before it is made, and charges only what is charged', () => {
    const meter = createSpendMeter(reservation(100, null), dollarPerThousand);
    expect(meter.wouldExceed({ inputTokens: 60, outputTokens: 50 })).toBe('allowance');
    expect(meter.wouldExceed({ inputTokens: 60, outputTokens: 40 })).toBeNull();
    expect(meter.charge({ inputTokens: 60, outputTokens: 0 })).toBeNull();
    expect(meter.charge({ inputTokens: 0, outputTokens: 40 })).toBeNull();
    expect(meter.charge({ inputTokens: 0, outputTokens: 1 })).toBe('allowance');
  });

  it('ends on the budget when money runs out before tokens', () => {
    const meter = createSpendMeter(reservation(10_000, 0.05), dollarPerThousand);
    expect(meter.charge({ inputTokens: 40, outputTokens: 0 })).toBeNull();
    expect(meter.charge({ inputTokens: 0, outputTokens: 20 })).toBe('budget');
  });

  it('never stops a turn that reserved nothing because no limit applies', () => {
    const meter = createSpendMeter(undefined, dollarPerThousand);
    expect(meter.charge({ inputTokens: 10 ** 9, outputTokens: 10 ** 9 })).toBeNull();
  });

  it('counts what a turn charged before its hold against the hold it then got', () => {
    const meter = createSpendMeter(undefined, dollarPerThousand);
    expect(meter.charge({ inputTokens: 60, outputTokens: 0 })).toBeNull();
    expect(meter.holdTo(reservation(100, 1))).toBeNull();
    expect(meter.tokensLeft()).toBe(40);
    expect(meter.charge({ inputTokens: 0, outputTokens: 41 })).toBe('allowance');
    const small = createSpendMeter(undefined, dollarPerThousand);
    small.charge({ inputTokens: 60, outputTokens: 0 });
    expect(small.holdTo(reservation(50, null))).toBe('allowance');
    const poor = createSpendMeter(undefined, dollarPerThousand);
    poor.charge({ inputTokens: 60, outputTokens: 0 });
    expect(poor.holdTo(reservation(null, 0.05))).toBe('budget');
  });
});
