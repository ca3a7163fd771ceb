import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, planRetry, sleep } from './backoff.js';
import { ProviderError } from './types.js';

const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, random: () => 1 };

describe('planRetry', () => {
  it('doubles the backoff ceiling per attempt up to the maximum', () => {
    const error = new ProviderError('google', 'server', 'x');
    expect([0, 1, 2].map((attempt) => planRetry(error, attempt, policy))).toEqual([
      { action: 'retry', delayMs: 500 },
      { action: 'retry', delayMs: 1000 },
      { action: 'retry', delayMs: 2000 },
    ]);
    expect(planRetry(error, 10, { ...policy, maxRetries: 20 })).toEqual({
      action: 'retry',
      delayMs: 8000,
    });
  });

  it('moves on once the retries are used up or the error is not retryable', () => {
    expect(planRetry(new ProviderError('google', 'server', 'x'), 3, policy)).toEqual({
      action: 'next_provider',
    });
    expect(planRetry(new ProviderError('google', 'auth', 'x'), 0, policy)).toEqual({
      action: 'next_provider',
    });
  });

  it('honours retry-after up to the cap', () => {
    const soon = new ProviderError('google', 'rate_limited', 'x', { retryAfterMs: 4_000 });
    const late = new ProviderError('google', 'rate_limited', 'x', { retryAfterMs: 45_000 });
    expect(planRetry(soon, 0, policy)).toEqual({ action: 'retry', delayMs: 4_000 });
    expect(planRetry(late, 0, policy)).toEqual({ action: 'next_provider' });
  });
});

describe('sleep', () => {
  it('rejects as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
