import { AllProvidersFailedError, TurnInterruptedError } from './fallback-errors.js';
import { ProviderError } from './types.js';
import { boundedDetail } from '../lib/log-detail.js';

/**
 * One bounded description of a failed AI call, for exactly one log line. Logging the error
 * object itself serialises its whole cause chain (the fallback error, the provider error, the
 * schema validation error, each with its message and stack): about 10 KB for one failed
 * classification, the same validation message four times.
 */
export function describeFailure(error: unknown): {
  errorKind: string;
  provider?: string;
  attempts?: number;
  detail: string;
} {
  const inner =
    error instanceof AllProvidersFailedError
      ? error.lastError
      : error instanceof TurnInterruptedError
        ? error.cause
        : error;
  const attempts = error instanceof AllProvidersFailedError ? error.attempts.length : undefined;
  const text = inner instanceof Error ? inner.message : String(inner ?? 'unknown failure');
  return {
    errorKind:
      inner instanceof ProviderError
        ? inner.kind
        : error instanceof AllProvidersFailedError
          ? (error.attempts.at(-1)?.kind ?? 'unknown')
          : 'unknown',
    ...(inner instanceof ProviderError ? { provider: inner.provider } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
    detail: boundedDetail(text),
  };
}
