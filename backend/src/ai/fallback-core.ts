import {
  DEFAULT_RETRY_POLICY,
  planRetry,
  sleep as realSleep,
  type RetryPolicy,
} from './backoff.js';
import type { CircuitBreaker, CircuitBreakers } from './circuit-breaker.js';
import { ProviderError, type ChatProvider, type ProviderName, type TokenUsage } from './types.js';

/** What streamWithFallback and generateStructuredWithFallback share: options, records, retry steps. */

export interface FallbackTarget {
  provider: ChatProvider;
  model: string;
}

export type CallPurpose = 'answer' | 'classification' | 'summary' | 'provider_test';

/** One underlying vendor call, as usage_events stores it. */
export interface CallRecord {
  provider: ProviderName;
  model: string;
  purpose: CallPurpose;
  outcome: 'ok' | 'error' | 'interrupted' | 'aborted';
  usage?: TokenUsage;
  /** Part of `usage` is our estimate (the vendor's count did not arrive in full). */
  isEstimate?: boolean;
  error?: ProviderError;
  durationMs: number;
}

export interface ResilienceOptions {
  signal: AbortSignal;
  purpose: CallPurpose;
  /** Retries per provider before falling back (LLM_MAX_RETRIES). */
  maxRetries: number;
  breakers?: CircuitBreakers;
  /** Called once per vendor call; must not throw (store usage, log, move on). */
  onCall?: (record: CallRecord) => void;
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** Injected in tests to record backoff delays instead of waiting. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

export function toProviderError(
  error: unknown,
  provider: ProviderName,
  signal: AbortSignal,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const kind = signal.aborted ? 'aborted' : 'bad_response';
  return new ProviderError(provider, kind, error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}

/** A per-call controller that follows the caller's signal and can also be cancelled alone. */
export function linkedController(signal: AbortSignal) {
  const controller = new AbortController();
  const follow = () => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return { controller, dispose: () => signal.removeEventListener('abort', follow) };
}

export function rejectOnAbort(signal: AbortSignal, provider: ProviderName): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new ProviderError(provider, 'aborted', 'request aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

export function settle(options: ResilienceOptions) {
  const now = options.now ?? Date.now;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retry,
    maxRetries: options.maxRetries,
  };
  return { now, policy, sleep: options.sleep ?? realSleep };
}

/** Records a failed call on the breaker and decides between retrying and moving on. */
export async function afterFailure(
  error: ProviderError,
  attempt: number,
  context: {
    policy: RetryPolicy;
    sleep: ResilienceOptions['sleep'] & {};
    signal: AbortSignal;
    deadline?: number;
    now: () => number;
  },
): Promise<'retry' | 'next_provider'> {
  const plan = planRetry(error, attempt, context.policy);
  if (plan.action === 'next_provider') return plan.action;
  if (context.deadline !== undefined && context.now() + plan.delayMs >= context.deadline)
    return 'next_provider';
  try {
    await context.sleep(plan.delayMs, context.signal);
  } catch {
    throw new ProviderError(error.provider, 'aborted', 'request aborted while waiting to retry');
  }
  return 'retry';
}

export function acquire(breaker: CircuitBreaker | undefined): boolean {
  return breaker ? breaker.tryAcquire() : true;
}

/**
 * Reports one vendor call through `onCall`, timed from `startedAt`; shared by the streaming and
 * the structured paths so every call is recorded the same way.
 */
export function callReporter(
  options: Pick<ResilienceOptions, 'onCall' | 'purpose'>,
  target: { provider: ProviderName; model: string },
  startedAt: number,
  now: () => number,
) {
  return (
    outcome: CallRecord['outcome'],
    usage?: TokenUsage,
    error?: ProviderError,
    isEstimate = false,
  ) =>
    options.onCall?.({
      provider: target.provider,
      model: target.model,
      purpose: options.purpose,
      outcome,
      usage,
      isEstimate,
      error,
      durationMs: now() - startedAt,
    });
}
