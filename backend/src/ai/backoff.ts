import type { ProviderError } from './types.js';

/** How long to wait before retrying the same provider, or whether to move on instead. */
export interface RetryPolicy {
  maxRetries: number;
  /** First backoff ceiling; doubles per attempt (full jitter picks 0…ceiling). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `retry-after` longer than this sends the turn to the next provider instead of waiting. */
  retryAfterCapMs: number;
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'maxRetries'> = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  retryAfterCapMs: 20_000,
  random: Math.random,
};

/**
 * `attempt` counts from 0 (the call that just failed). Full jitter spreads many students'
 * retries apart; a vendor's own `retry-after` wins because it knows when capacity returns.
 */
export function planRetry(
  error: ProviderError,
  attempt: number,
  policy: RetryPolicy,
): { action: 'retry'; delayMs: number } | { action: 'next_provider' } {
  if (!error.retryable || attempt >= policy.maxRetries) return { action: 'next_provider' };
  const retryAfter = error.options.retryAfterMs;
  if (retryAfter !== undefined) {
    return retryAfter > policy.retryAfterCapMs
      ? { action: 'next_provider' }
      : { action: 'retry', delayMs: retryAfter };
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return { action: 'retry', delayMs: Math.round(policy.random() * ceiling) };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
