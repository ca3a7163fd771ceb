import {
  callReporter,
  rejectOnAbort,
  settle,
  toProviderError,
  walkChain,
  type FallbackTarget,
  type ResilienceOptions,
} from './fallback-core.js';
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
  const { now } = settle(options);
  // A structured answer arrives whole: a call cut short received no text, only its input counts.
  const estimate = { inputTokens: estimateRequestTokens(request), outputTokens: 0 };

  for await (const { provider, model, breaker, controller, failed } of walkChain(chain, options, {
    timeoutMs: options.timeoutMs,
  })) {
    const record = callReporter(options, { provider: provider.name, model }, now(), now);
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
          { usage: error.options.usage, cause: raw },
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
      await failed(error);
    }
  }
  // walkChain ends by throwing; this line is never reached.
  throw new Error('the fallback chain ended without an outcome');
}
