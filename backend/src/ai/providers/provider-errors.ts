import {
  ProviderError,
  type ProviderErrorKind,
  type ProviderName,
  type TokenUsage,
} from '../types.js';

/**
 * Vendor-neutral pieces of error translation. The vendor files pull status, headers and body out
 * of their own SDK error classes and hand them here, so every provider maps HTTP the same way.
 */

/** What every provider factory needs from config; the SDK-specific parts stay in each file. */
export interface ProviderSettings {
  apiKey?: string;
  baseUrl?: string;
  /** Bounds connecting and waiting for response headers; streaming timeouts live in the caller. */
  connectTimeoutMs: number;
}

export interface ProviderDeps {
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
}

export function kindFromStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  return 'invalid_request';
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `retry-after-ms` (OpenAI, Anthropic) wins over `retry-after`, which is either seconds or an
 * HTTP date. Nonsense and past dates give undefined, so the caller falls back to its backoff.
 */
export function parseRetryAfter(
  headers: HeaderSource,
  now: () => number = Date.now,
): number | undefined {
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const raw = readHeader(headers, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  const delta = date - now();
  return delta > 0 ? delta : 0;
}

/** True for the errors fetch, undici and the SDKs throw when a signal aborted the request. */
export function isAbortLike(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'AbortError' ||
    error.name === 'APIUserAbortError' ||
    /aborted|This operation was aborted/i.test(error.message)
  );
}

/**
 * Errors that are not HTTP answers: aborts, sockets, JSON that does not parse. `signal` decides
 * whether an abort was ours (student pressed stop) or the SDK's own connect timeout.
 */
export function mapTransportError(
  provider: ProviderName,
  error: unknown,
  signal: AbortSignal,
  usage?: TokenUsage,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted)
    return new ProviderError(provider, 'aborted', 'request aborted', { usage, cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (/timeout|timed out/i.test(name) || /timed out|timeout/i.test(message)) {
    return new ProviderError(provider, 'timeout', `request timed out: ${message}`, {
      usage,
      cause: error,
    });
  }
  if (error instanceof SyntaxError || /JSON|parse|Incomplete/i.test(message)) {
    return new ProviderError(provider, 'bad_response', `malformed response: ${message}`, {
      usage,
      cause: error,
    });
  }
  return new ProviderError(provider, 'connection', `connection failed: ${message}`, {
    usage,
    cause: error,
  });
}

/** A stream that ended without its closing event was cut short, whatever the socket said. */
export function truncatedStream(provider: ProviderName, usage?: TokenUsage): ProviderError {
  return new ProviderError(provider, 'connection', 'stream ended before the final event', {
    usage,
  });
}

/**
 * Without a key the SDKs fail with errors that look like network trouble (and would be retried
 * and trip the breaker); a missing key is a configuration problem, so it is `auth` at once.
 */
export function missingKey(provider: ProviderName): ProviderError {
  return new ProviderError(provider, 'auth', 'no API key is configured');
}

/** Parses a JSON answer and validates it; both failures are the vendor's bad response. */
export function parseStructured<T>(
  provider: ProviderName,
  raw: unknown,
  parse: (value: unknown) => T,
  usage: TokenUsage,
): T {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ProviderError(provider, 'bad_response', 'structured answer is not JSON', {
        usage,
        cause: error,
      });
    }
  }
  try {
    return parse(value);
  } catch (error) {
    throw new ProviderError(
      provider,
      'bad_response',
      'structured answer does not match the schema',
      {
        usage,
        cause: error,
      },
    );
  }
}
