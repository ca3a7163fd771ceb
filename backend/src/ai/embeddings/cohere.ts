import { CohereClientV2, CohereError, CohereTimeoutError } from 'cohere-ai';
import {
  checkVectors,
  classifyTransportError,
  EmbeddingError,
  type EmbeddingProvider,
  type EmbeddingVendorOptions,
} from './types.js';
import { kindFromStatus, parseRetryAfter } from '../providers/provider-errors.js';

/**
 * Cohere `POST /v2/embed`. The SDK's own retries are off: the embedder retries with backoff
 * and records every attempt's usage. `output_dimension` pins the vector size to the column's.
 */
export function createCohereEmbeddings(options: EmbeddingVendorOptions): EmbeddingProvider {
  const client = new CohereClientV2({
    token: options.apiKey,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    maxRetries: 0,
    timeoutInSeconds: Math.max(1, Math.round(options.timeoutMs / 1000)),
  });
  return {
    name: 'cohere',
    model: options.model,
    dimensions: options.dimensions,
    // Cohere accepts at most 96 texts per call.
    maxBatchSize: 96,
    async embedBatch(texts, inputType, { signal }) {
      try {
        const response = await client.embed(
          {
            model: options.model,
            texts,
            inputType: inputType === 'query' ? 'search_query' : 'search_document',
            embeddingTypes: ['float'],
            outputDimension: options.dimensions,
            truncate: 'END',
          },
          signal ? { abortSignal: signal } : undefined,
        );
        const vectors = checkVectors(
          'cohere',
          response?.embeddings?.float,
          texts.length,
          options.dimensions,
        );
        const billed =
          response.meta?.billedUnits?.inputTokens ?? response.meta?.tokens?.inputTokens;
        return { vectors, inputTokens: billed ?? 0 };
      } catch (error) {
        throw toEmbeddingError(error);
      }
    },
  };
}

function toEmbeddingError(error: unknown): EmbeddingError {
  if (error instanceof CohereError && error.statusCode !== undefined) {
    const retryAfterMs = parseRetryAfter(error.rawResponse?.headers);
    return new EmbeddingError('cohere', kindFromStatus(error.statusCode), error.message, {
      status: error.statusCode,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    });
  }
  return classifyTransportError('cohere', error, error instanceof CohereTimeoutError);
}
