import { describe, expect, it } from 'vitest';
import { costUsd, createPricingTable } from './pricing.js';

describe('pricing', () => {
  it('prices default models per million tokens', () => {
    expect(costUsd('claude-sonnet-4-5', { inputTokens: 1_000_000, outputTokens: 100_000 })).toEqual(
      {
        costUsd: 4.5,
        known: true,
      },
    );
    expect(costUsd('gpt-5-nano', { inputTokens: 2_000, outputTokens: 500 }).costUsd).toBeCloseTo(
      0.0003,
      6,
    );
  });

  it('prices dated snapshots like their alias', () => {
    expect(
      costUsd('claude-haiku-4-5-20251001', { inputTokens: 1_000_000, outputTokens: 0 }),
    ).toEqual({ costUsd: 1, known: true });
  });

  it('lets admins override and add models', () => {
    const table = createPricingTable({
      'gpt-5-mini': { inputPerMillion: 1, outputPerMillion: 1 },
      'llama3.1:8b': { inputPerMillion: 0, outputPerMillion: 0 },
    });
    expect(
      table.costOf('gpt-5-mini', { inputTokens: 500_000, outputTokens: 500_000 }).costUsd,
    ).toBe(1);
    expect(table.costOf('llama3.1:8b', { inputTokens: 10, outputTokens: 10 })).toEqual({
      costUsd: 0,
      known: true,
    });
    expect(table.prices()['gpt-5-mini']).toMatchObject({ source: 'override' });
    expect(table.prices()['gemini-2.5-flash']).toMatchObject({
      source: 'default',
      outputPerMillion: 2.5,
    });
  });

  it('costs an unknown model 0 but flags it', () => {
    expect(costUsd('mystery-model', { inputTokens: 1_000, outputTokens: 1_000 })).toEqual({
      costUsd: 0,
      known: false,
    });
  });
});
