import { sleep as defaultSleep } from '../backoff.js';
import { createCohereEmbeddings } from './cohere.js';
import { createMockEmbeddings } from './mock.js';
import {
  EmbeddingError,
  type EmbeddingInputType,
  type EmbeddingProvider,
  type EmbeddingProviderName,
} from './types.js';
import { createVoyageEmbeddings } from './voyage.js';

export interface EmbeddingConfig {
  provider: EmbeddingProviderName | undefined;
  model: string | undefined;
  dimensions: number;
  cohere: { apiKey?: string | undefined; baseUrl?: string | undefined };
  voyage: { apiKey?: string | undefined; baseUrl?: string | undefined };
  timeoutMs: number;
  maxRetries: number;
}

export const DEFAULT_EMBEDDING_MODELS: Record<EmbeddingProviderName, string> = {
  cohere: 'embed-v4.0',
  voyage: 'voyage-3.5',
  mock: 'mock-embed',
};

/**
 * The configured vendor, or undefined when there is none (no key): retrieval then runs on
 * full-text search alone. Without EMBEDDING_PROVIDER, the vendor whose key is set is used.
 */
export function createEmbeddingProvider(config: EmbeddingConfig): EmbeddingProvider | undefined {
  const name =
    config.provider ??
    (config.cohere.apiKey ? 'cohere' : config.voyage.apiKey ? 'voyage' : undefined);
  if (!name) return undefined;
  const model = config.model ?? DEFAULT_EMBEDDING_MODELS[name];
  if (name === 'mock') return createMockEmbeddings({ model, dimensions: config.dimensions });
  const vendor = config[name];
  if (!vendor.apiKey) return undefined;
  const common = { apiKey: vendor.apiKey, baseUrl: vendor.baseUrl, model };
  const options = { ...common, dimensions: config.dimensions, timeoutMs: config.timeoutMs };
  return name === 'cohere' ? createCohereEmbeddings(options) : createVoyageEmbeddings(options);
}

/** One vendor request as usage sees it (every attempt, failed ones too). */
export interface EmbeddingCallRecord {
  provider: EmbeddingProviderName;
  model: string;
  inputTokens: number;
  outcome: 'ok' | 'error';
  error?: EmbeddingError;
  durationMs: number;
}

export interface EmbedderOptions {
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A vendor `retry-after` longer than this fails the batch instead of waiting. */
  retryAfterCapMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onCall?: (call: EmbeddingCallRecord) => void | Promise<void>;
  now?: () => number;
}

export interface Embedder {
  readonly provider: EmbeddingProvider;
  /** Splits into vendor-sized batches; retries each on 429/5xx/timeouts with backoff. */
  embed(texts: string[], inputType: EmbeddingInputType, signal?: AbortSignal): Promise<number[][]>;
}

export function createEmbedder(provider: EmbeddingProvider, options: EmbedderOptions): Embedder {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 8_000;
  const retryAfterCapMs = options.retryAfterCapMs ?? 30_000;

  async function embedOneBatch(
    texts: string[],
    inputType: EmbeddingInputType,
    signal: AbortSignal,
  ): Promise<number[][]> {
    for (let attempt = 0; ; attempt += 1) {
      const started = now();
      try {
        const result = await provider.embedBatch(texts, inputType, { signal });
        await options.onCall?.({
          provider: provider.name,
          model: provider.model,
          inputTokens: result.inputTokens,
          outcome: 'ok',
          durationMs: now() - started,
        });
        return result.vectors;
      } catch (caught) {
        const error =
          caught instanceof EmbeddingError
            ? caught
            : new EmbeddingError(provider.name, 'bad_response', String(caught), { cause: caught });
        await options.onCall?.({
          provider: provider.name,
          model: provider.model,
          inputTokens: 0,
          outcome: 'error',
          error,
          durationMs: now() - started,
        });
        const retryAfter = error.options.retryAfterMs;
        if (
          signal.aborted ||
          !error.retryable ||
          attempt >= options.maxRetries ||
          (retryAfter !== undefined && retryAfter > retryAfterCapMs)
        ) {
          throw error;
        }
        // Full jitter, like the chat providers: many indexers retrying together spread apart.
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
        await sleep(retryAfter ?? Math.round(random() * ceiling), signal);
      }
    }
  }

  return {
    provider,
    async embed(texts, inputType, signal = new AbortController().signal) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += provider.maxBatchSize) {
        const batch = texts.slice(start, start + provider.maxBatchSize);
        vectors.push(...(await embedOneBatch(batch, inputType, signal)));
      }
      return vectors;
    },
  };
}
