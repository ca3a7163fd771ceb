import {
  DEFAULT_RETRY_POLICY,
  planRetry,
  sleep as realSleep,
  type RetryPolicy,
} from './backoff.js';
import type { CircuitBreaker, CircuitBreakers } from './circuit-breaker.js';
import {
  AllProvidersFailedError,
  TurnInterruptedError,
  type FailedAttempt,
} from './fallback-errors.js';
import { watchStream } from './stream-watchdog.js';
import {
  ProviderError,
  type ChatProvider,
  type ChatRequest,
  type ProviderName,
  type StructuredRequest,
  type TokenUsage,
} from './types.js';

/**
 * The resilience layer between the tutor and the vendors:
 * - retries a provider (backoff with full jitter, or its `retry-after`) only while the student
 *   has seen nothing, then falls back along the chain;
 * - skips providers whose circuit is open;
 * - enforces first-token and between-token timeouts (the SDKs only bound connecting);
 * - reports every underlying vendor call through `onCall`, failed ones included, so usage is
 *   stored for all of them.
 * After a visible token, a failure throws TurnInterruptedError (partial text and usage kept);
 * when nothing was shown and every provider failed, AllProvidersFailedError. A stop from the
 * caller's signal throws ProviderError `aborted` in both cases.
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

export interface StreamFallbackOptions extends ResilienceOptions {
  firstTokenMs: number;
  tokenGapMs: number;
}

export type FallbackEvent =
  | { type: 'attempt'; provider: ProviderName; model: string; attempt: number }
  | { type: 'delta'; text: string }
  | {
      type: 'done';
      usage: TokenUsage;
      provider: ProviderName;
      model: string;
      stopReason: 'end' | 'max_tokens' | 'other';
    };

function toProviderError(
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
function linkedController(signal: AbortSignal) {
  const controller = new AbortController();
  const follow = () => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return { controller, dispose: () => signal.removeEventListener('abort', follow) };
}

function rejectOnAbort(signal: AbortSignal, provider: ProviderName): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new ProviderError(provider, 'aborted', 'request aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

function settle(options: ResilienceOptions) {
  const now = options.now ?? Date.now;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retry,
    maxRetries: options.maxRetries,
  };
  return { now, policy, sleep: options.sleep ?? realSleep };
}

/** Records a failed call on the breaker and decides between retrying and moving on. */
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

/** Streams one answer along the chain; see the file comment for the guarantees. */
export async function* streamWithFallback(
  chain: FallbackTarget[],
  request: Omit<ChatRequest, 'model'>,
  options: StreamFallbackOptions,
): AsyncGenerator<FallbackEvent> {
  const { now, policy, sleep } = settle(options);
  const attempts: FailedAttempt[] = [];
  let lastError: ProviderError | undefined;

  for (const { provider, model } of chain) {
    const breaker = options.breakers?.for(provider.name);
    for (let attempt = 0; ; attempt += 1) {
      if (options.signal.aborted)
        throw new ProviderError(provider.name, 'aborted', 'request aborted');
      if (!acquire(breaker)) {
        attempts.push({ provider: provider.name, model, kind: 'circuit_open' });
        break;
      }
      yield { type: 'attempt', provider: provider.name, model, attempt };
      const startedAt = now();
      const { controller, dispose } = linkedController(options.signal);
      let partialText = '';
      let isRecorded = false;
      const record = (
        outcome: CallRecord['outcome'],
        usage?: TokenUsage,
        error?: ProviderError,
      ) => {
        isRecorded = true;
        options.onCall?.({
          provider: provider.name,
          model,
          purpose: options.purpose,
          outcome,
          usage,
          error,
          durationMs: now() - startedAt,
        });
      };
      try {
        const events = watchStream(
          provider.streamChat({ ...request, model }, { signal: controller.signal }),
          {
            provider: provider.name,
            firstTokenMs: options.firstTokenMs,
            tokenGapMs: options.tokenGapMs,
            signal: options.signal,
            cancel: () => controller.abort(),
          },
        );
        for await (const event of events) {
          if (event.type === 'delta') {
            partialText += event.text;
            yield event;
            continue;
          }
          breaker?.recordSuccess();
          record('ok', event.usage);
          yield {
            type: 'done',
            usage: event.usage,
            provider: provider.name,
            model,
            stopReason: event.stopReason,
          };
          return;
        }
        throw new ProviderError(provider.name, 'bad_response', 'stream ended without a done event');
      } catch (raw) {
        if (raw instanceof ProviderError && raw.kind === 'aborted' && options.signal.aborted) {
          breaker?.recordFailure(raw);
          record('aborted', raw.options.usage, raw);
          throw raw;
        }
        const error = toProviderError(raw, provider.name, options.signal);
        breaker?.recordFailure(error);
        if (partialText) {
          record('interrupted', error.options.usage, error);
          throw new TurnInterruptedError(
            error,
            partialText,
            error.options.usage,
            provider.name,
            model,
          );
        }
        record('error', error.options.usage, error);
        lastError = error;
        attempts.push({
          provider: provider.name,
          model,
          kind: error.kind,
          status: error.options.status,
        });
        const next = await afterFailure(error, attempt, {
          policy,
          sleep,
          signal: options.signal,
          now,
        });
        if (next === 'next_provider') break;
      } finally {
        dispose();
        // The consumer stopped iterating mid-answer (e.g. the socket closed): cancel and count it.
        if (!isRecorded) {
          controller.abort();
          record('aborted');
        }
      }
    }
  }
  throw new AllProvidersFailedError(attempts, lastError);
}

export interface StructuredFallbackOptions extends ResilienceOptions {
  /** For all attempts together: classification must not hold a turn up for long. */
  timeoutMs: number;
}

/** Structured answers (classification, summaries) with the same retry, breaker and onCall rules. */
export async function generateStructuredWithFallback<T>(
  chain: FallbackTarget[],
  request: Omit<StructuredRequest<T>, 'model'>,
  options: StructuredFallbackOptions,
): Promise<{ value: T; usage: TokenUsage; provider: ProviderName; model: string }> {
  const { now, policy, sleep } = settle(options);
  const deadline = now() + options.timeoutMs;
  const attempts: FailedAttempt[] = [];
  let lastError: ProviderError | undefined;

  for (const { provider, model } of chain) {
    const breaker = options.breakers?.for(provider.name);
    for (let attempt = 0; ; attempt += 1) {
      if (options.signal.aborted)
        throw new ProviderError(provider.name, 'aborted', 'request aborted');
      const remainingMs = deadline - now();
      if (remainingMs <= 0) throw new AllProvidersFailedError(attempts, lastError);
      if (!acquire(breaker)) {
        attempts.push({ provider: provider.name, model, kind: 'circuit_open' });
        break;
      }
      const startedAt = now();
      const { controller, dispose } = linkedController(options.signal);
      const timer = setTimeout(() => controller.abort(), remainingMs);
      const record = (outcome: CallRecord['outcome'], usage?: TokenUsage, error?: ProviderError) =>
        options.onCall?.({
          provider: provider.name,
          model,
          purpose: options.purpose,
          outcome,
          usage,
          error,
          durationMs: now() - startedAt,
        });
      try {
        const call = provider.generateStructured(
          { ...request, model },
          { signal: controller.signal },
        );
        // Bounded even if a provider ignored its signal; the late outcome is dropped quietly.
        call.catch(() => undefined);
        const result = await Promise.race([call, rejectOnAbort(controller.signal, provider.name)]);
        breaker?.recordSuccess();
        record('ok', result.usage);
        return { ...result, provider: provider.name, model };
      } catch (raw) {
        let error = toProviderError(raw, provider.name, controller.signal);
        if (error.kind === 'aborted' && !options.signal.aborted) {
          // Our deadline fired, not the caller's stop.
          error = new ProviderError(
            provider.name,
            'timeout',
            `no structured answer within ${options.timeoutMs} ms`,
            {
              usage: error.options.usage,
              cause: raw,
            },
          );
        }
        breaker?.recordFailure(error);
        record(error.kind === 'aborted' ? 'aborted' : 'error', error.options.usage, error);
        if (error.kind === 'aborted') throw error;
        lastError = error;
        attempts.push({
          provider: provider.name,
          model,
          kind: error.kind,
          status: error.options.status,
        });
        const next = await afterFailure(error, attempt, {
          policy,
          sleep,
          signal: options.signal,
          deadline,
          now,
        });
        if (next === 'next_provider') break;
      } finally {
        clearTimeout(timer);
        dispose();
      }
    }
  }
  throw new AllProvidersFailedError(attempts, lastError);
}
