import { VoyageAIClient, VoyageAIError, VoyageAITimeoutError } from 'voyageai';
import {
  checkVectors,
  classifyTransportError,
  EmbeddingError,
  type EmbeddingProvider,
  type EmbeddingVendorOptions,
} from './types.js';
import { kindFromStatus, parseRetryAfter } from '../providers/provider-errors.js';

/**
 * Voyage `POST /v1/embeddings`. The SDK's own retries are off (the embedder retries and counts
 * usage); vectors come back by `index`, so they are put back in input order.
 */
export function createVoyageEmbeddings(options: EmbeddingVendorOptions): EmbeddingProvider {
  const client = new VoyageAIClient({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    maxRetries: 0,
    timeoutInSeconds: Math.max(1, Math.round(options.timeoutMs / 1000)),
  });
  return {
    name: 'voyage',
    model: options.model,
    dimensions: options.dimensions,
    // Voyage allows 1,000 texts but also caps tokens per call; 128 stays well inside both.
    maxBatchSize: 128,
    async embedBatch(texts, inputType, { signal }) {
      try {
        const response = await client.embed(
          {
            input: texts,
            model: options.model,
            inputType,
            outputDimension: options.dimensions,
            truncation: true,
          },
          signal ? { abortSignal: signal } : undefined,
        );
        const data = Array.isArray(response?.data) ? [...response.data] : undefined;
        data?.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
        const vectors = checkVectors(
          'voyage',
          data?.map((item) => item.embedding),
          texts.length,
          options.dimensions,
        );
        return { vectors, inputTokens: response.usage?.totalTokens ?? 0 };
      } catch (error) {
        throw toEmbeddingError(error);
      }
    },
  };
}

function toEmbeddingError(error: unknown): EmbeddingError {
  if (error instanceof VoyageAIError && error.statusCode !== undefined) {
    const retryAfterMs = parseRetryAfter(error.rawResponse?.headers);
    return new EmbeddingError('voyage', kindFromStatus(error.statusCode), error.message, {
      status: error.statusCode,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    });
  }
  return classifyTransportError('voyage', error, error instanceof VoyageAITimeoutError);
}
