import {
  DEFAULT_RETRY_POLICY,
  planRetry,
  sleep as realSleep,
  type RetryPolicy,
} from './backoff.js';
import type { CircuitBreaker, CircuitBreakers } from './circuit-breaker.js';
import { AllProvidersFailedError, type FailedAttempt } from './fallback-errors.js';
import { ProviderError, type ChatProvider, type ProviderName, type TokenUsage } from './types.js';

/**
 * What streamWithFallback and generateStructuredWithFallback share: options, records, and the
 * walk along the chain (`walkChain`), so both retry, skip and give up by the same rules.
 */

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

/** Waits out the retry plan for a failed call, or says to move on to the next provider. */
async function afterFailure(
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

function acquire(breaker: CircuitBreaker | undefined): boolean {
  return breaker ? breaker.tryAcquire() : true;
}

/** One try of one provider, as `walkChain` hands it to the caller. */
export interface ChainAttempt {
  provider: ChatProvider;
  model: string;
  /** 0 for the provider's first try, 1 for its first retry, and so on. */
  attempt: number;
  /** Already let this try through; the caller records its success or failure on it. */
  breaker: CircuitBreaker | undefined;
  /** Follows the caller's signal (and the deadline); aborting it cancels this try alone. */
  controller: AbortController;
  /**
   * The try failed and the chain may go on: remembers the failure, then waits for a retry or
   * moves to the next provider. Throws `aborted` when the caller stops during the wait.
   */
  failed(error: ProviderError): Promise<void>;
}

/**
 * The walk along the chain: for each provider whose circuit lets a call through, one try after
 * another until the caller returns (a success), throws (a failure that ends everything), or the
 * retry plan moves on. When the chain runs out, or `timeoutMs` for all tries together has passed,
 * it throws AllProvidersFailedError with every failed try. The caller's loop body runs each try:
 *
 *     for await (const attempt of walkChain(chain, options)) {
 *       try { return await call(attempt) } catch (error) { await attempt.failed(error) }
 *     }
 */
export async function* walkChain(
  chain: FallbackTarget[],
  options: ResilienceOptions,
  limits: { timeoutMs?: number } = {},
): AsyncGenerator<ChainAttempt, never, undefined> {
  const { now, policy, sleep } = settle(options);
  const deadline = limits.timeoutMs === undefined ? undefined : now() + limits.timeoutMs;
  const attempts: FailedAttempt[] = [];
  let lastError: ProviderError | undefined;

  for (const { provider, model } of chain) {
    const breaker = options.breakers?.for(provider.name);
    for (let attempt = 0; ; attempt += 1) {
      if (options.signal.aborted)
        throw new ProviderError(provider.name, 'aborted', 'request aborted');
      const remainingMs = deadline === undefined ? undefined : deadline - now();
      if (remainingMs !== undefined && remainingMs <= 0)
        throw new AllProvidersFailedError(attempts, lastError);
      if (!acquire(breaker)) {
        attempts.push({ provider: provider.name, model, kind: 'circuit_open' });
        break;
      }
      const { controller, dispose } = linkedController(options.signal);
      const timer =
        remainingMs === undefined ? undefined : setTimeout(() => controller.abort(), remainingMs);
      let next: 'retry' | 'next_provider' | undefined;
      try {
        yield {
          provider,
          model,
          attempt,
          breaker,
          controller,
          async failed(error) {
            lastError = error;
            attempts.push({
              provider: provider.name,
              model,
              kind: error.kind,
              status: error.options.status,
            });
            next = await afterFailure(error, attempt, {
              policy,
              sleep,
              signal: options.signal,
              now,
              ...(deadline !== undefined ? { deadline } : {}),
            });
          },
        };
      } finally {
        clearTimeout(timer);
        dispose();
      }
      // Asking for the next try without reporting this one as failed is a bug in the caller.
      if (!next) throw new Error('a fallback try ended without a result or a failure');
      if (next === 'next_provider') break;
    }
  }
  throw new AllProvidersFailedError(attempts, lastError);
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
