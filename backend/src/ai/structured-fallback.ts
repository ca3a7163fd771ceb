import {
  acquire,
  afterFailure,
  callReporter,
  linkedController,
  rejectOnAbort,
  settle,
  toProviderError,
  type FallbackTarget,
  type ResilienceOptions,
} from './fallback-core.js';
import { AllProvidersFailedError, type FailedAttempt } from './fallback-errors.js';
import { billedUsage, estimateRequestTokens, wasRefused } from './usage-estimate.js';
import {
  ProviderError,
  type ProviderName,
  type StructuredRequest,
  type TokenUsage,
} from './types.js';

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
  // A structured answer arrives whole: a call cut short received no text, only its input counts.
  const estimate = { inputTokens: estimateRequestTokens(request), outputTokens: 0 };

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
      const record = callReporter(options, { provider: provider.name, model }, startedAt, now);
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
        // Counts that came with a response (bad JSON, schema mismatch) are the vendor's own.
        const vendorUsage = error.options.usage;
        const billed =
          !vendorUsage && wasRefused(error)
            ? { usage: { inputTokens: 0, outputTokens: 0 }, isEstimate: false }
            : billedUsage(vendorUsage, estimate, vendorUsage !== undefined);
        record(
          error.kind === 'aborted' ? 'aborted' : 'error',
          billed.usage,
          error,
          billed.isEstimate,
        );
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
