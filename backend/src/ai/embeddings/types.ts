/**
 * The one interface every embedding vendor sits behind. Each SDK is imported in exactly one
 * file here (cohere.ts, voyage.ts); the rest of Hintbook sees only these types.
 */
import type { ProviderErrorKind } from '../types.js';

export type EmbeddingProviderName = 'cohere' | 'voyage' | 'mock';

/** Vendors embed questions and passages slightly differently; retrieval quality depends on it. */
export type EmbeddingInputType = 'document' | 'query';

/** What a vendor's embedding client is built from (config: EMBEDDING_*, *_API_KEY, *_BASE_URL). */
export interface EmbeddingVendorOptions {
  apiKey: string;
  model: string;
  dimensions: number;
  baseUrl?: string | undefined;
  timeoutMs: number;
}

export interface EmbedBatchResult {
  /** One vector per input text, in input order, each `dimensions` long. */
  vectors: number[][];
  /** The vendor's own count of billed input tokens (0 when it reports none). */
  inputTokens: number;
}

export interface EmbeddingProvider {
  readonly name: EmbeddingProviderName;
  readonly model: string;
  readonly dimensions: number;
  /** Most texts one request may carry (the vendor's documented limit, or less). */
  readonly maxBatchSize: number;
  /** One request, no retries (the embedder retries). Throws EmbeddingError. */
  embedBatch(
    texts: string[],
    inputType: EmbeddingInputType,
    options: { signal?: AbortSignal | undefined },
  ): Promise<EmbedBatchResult>;
}

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'bad_response',
]);

/** Every vendor failure becomes this, so retry logic never looks at SDK error classes. */
export class EmbeddingError extends Error {
  constructor(
    readonly provider: EmbeddingProviderName,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'EmbeddingError';
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Throws unless the vendor sent one finite vector of the right length per text. */
export function checkVectors(
  provider: EmbeddingProviderName,
  vectors: unknown,
  expectedCount: number,
  dimensions: number,
): number[][] {
  const ok =
    Array.isArray(vectors) &&
    vectors.length === expectedCount &&
    vectors.every(
      (vector) =>
        Array.isArray(vector) &&
        vector.length === dimensions &&
        vector.every((value) => typeof value === 'number' && Number.isFinite(value)),
    );
  if (!ok) {
    throw new EmbeddingError(
      provider,
      'bad_response',
      `expected ${expectedCount} vectors of ${dimensions} numbers`,
    );
  }
  return vectors as number[][];
}

/** SDK errors without an HTTP status: timeouts, refused connections, unparseable bodies. */
export function classifyTransportError(
  provider: EmbeddingProviderName,
  error: unknown,
  isTimeout: boolean,
): EmbeddingError {
  if (error instanceof EmbeddingError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isTimeout) return new EmbeddingError(provider, 'timeout', message, { cause: error });
  if (error instanceof Error && error.name === 'AbortError') {
    return new EmbeddingError(provider, 'aborted', message, { cause: error });
  }
  const isConnection = /fetch failed|ECONN|socket|network|ENOTFOUND|terminated/i.test(message);
  return new EmbeddingError(provider, isConnection ? 'connection' : 'bad_response', message, {
    cause: error,
  });
}
