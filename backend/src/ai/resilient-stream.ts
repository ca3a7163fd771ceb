import {
  callReporter,
  settle,
  toProviderError,
  walkChain,
  type CallRecord,
  type FallbackTarget,
  type ResilienceOptions,
} from './fallback-core.js';
import { TurnInterruptedError } from './fallback-errors.js';
import { watchStream } from './stream-watchdog.js';
import { billedUsage, estimateRequestTokens, wasRefused } from './usage-estimate.js';
import { estimateTokens } from './pedagogy/token-estimate.js';
import { ProviderError, type ChatRequest, type ProviderName, type TokenUsage } from './types.js';

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

export type {
  CallPurpose,
  CallRecord,
  FallbackTarget,
  ResilienceOptions,
} from './fallback-core.js';
export {
  generateStructuredWithFallback,
  type StructuredFallbackOptions,
} from './structured-fallback.js';

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

/** Streams one answer along the chain; see the file comment for the guarantees. */
export async function* streamWithFallback(
  chain: FallbackTarget[],
  request: Omit<ChatRequest, 'model'>,
  options: StreamFallbackOptions,
): AsyncGenerator<FallbackEvent> {
  const { now } = settle(options);
  const inputEstimate = estimateRequestTokens(request);

  for await (const { provider, model, attempt, breaker, controller, failed } of walkChain(
    chain,
    options,
  )) {
    yield { type: 'attempt', provider: provider.name, model, attempt };
    const startedAt = now();
    let partialText = '';
    let isRecorded = false;
    const report = callReporter(options, { provider: provider.name, model }, startedAt, now);
    const record = (outcome: CallRecord['outcome'], usage?: TokenUsage, error?: ProviderError) => {
      isRecorded = true;
      const billed =
        !usage && !partialText && wasRefused(error)
          ? { usage: { inputTokens: 0, outputTokens: 0 }, isEstimate: false }
          : billedUsage(
              usage,
              { inputTokens: inputEstimate, outputTokens: estimateTokens(partialText) },
              outcome === 'ok',
            );
      report(outcome, billed.usage, error, billed.isEstimate);
      return billed.usage;
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
        const billed = record('interrupted', error.options.usage, error);
        throw new TurnInterruptedError(error, partialText, billed, provider.name, model);
      }
      record('error', error.options.usage, error);
      await failed(error);
    } finally {
      // The consumer stopped iterating mid-answer (e.g. the socket closed): cancel and count it.
      if (!isRecorded) {
        controller.abort();
        const stopped = new ProviderError(provider.name, 'aborted', 'consumer stopped reading');
        breaker?.recordFailure(stopped); // frees a half-open probe slot
        record('aborted', undefined, stopped);
      }
    }
  }
  // walkChain ends by throwing; this line is never reached.
  throw new Error('the fallback chain ended without an outcome');
}
