import type { ProviderError, ProviderErrorKind, ProviderName, TokenUsage } from './types.js';

/** One try that did not produce an answer, for logs and the error the caller gets. */
export interface FailedAttempt {
  provider: ProviderName;
  model: string;
  kind: ProviderErrorKind | 'circuit_open';
  status?: number;
}

/**
 * Every provider in the chain failed before the student saw a token (or was skipped with an open
 * circuit). Safe to offer "try again": nothing was shown.
 */
export class AllProvidersFailedError extends Error {
  readonly code = 'ai.unavailable';

  constructor(
    readonly attempts: FailedAttempt[],
    readonly lastError: ProviderError | undefined,
  ) {
    super(
      attempts.length === 0
        ? 'no AI provider is configured'
        : `all providers failed: ${attempts.map((a) => `${a.provider}:${a.kind}`).join(', ')}`,
      { cause: lastError },
    );
    this.name = 'AllProvidersFailedError';
  }
}

/**
 * The answer broke after the student saw part of it. It is never retried (a second answer
 * would repeat or contradict the visible part); the turn ends with the partial text kept and a
 * retryable error, and `usage` holds what the vendor had counted.
 */
export class TurnInterruptedError extends Error {
  readonly code = 'ai.interrupted';

  constructor(
    override readonly cause: ProviderError,
    readonly partialText: string,
    readonly usage: TokenUsage | undefined,
    readonly provider: ProviderName,
    readonly model: string,
  ) {
    super(`answer interrupted after visible tokens (${cause.kind})`, { cause });
    this.name = 'TurnInterruptedError';
  }
}
