import {
  createEmbedder,
  createEmbeddingProvider,
  type EmbeddingCallRecord,
  type EmbeddingConfig,
} from '../../ai/embeddings/registry.js';
import type { PricingTable } from '../../ai/pricing.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { recordEmbeddingCall } from '../usage/usage.service.js';
import type { RetrievalDeps } from './retrieval.types.js';

/**
 * Retrieval's dependencies from config: the embedder (absent without a key) with every vendor
 * call stored in usage_events as purpose `embedding`, like chat calls. Indexing is background
 * work for the whole installation, so its usage has no user.
 */
export function createRetrievalDeps(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  pricing: PricingTable;
  embeddings: EmbeddingConfig;
  /** Also told of every vendor call (the backfill command totals tokens and cost). */
  observeCall?: (call: EmbeddingCallRecord) => void;
}): RetrievalDeps {
  const logger = deps.logger.child({ module: 'retrieval' });
  const provider = createEmbeddingProvider(deps.embeddings);
  const embedder =
    provider &&
    createEmbedder(provider, {
      maxRetries: deps.embeddings.maxRetries,
      onCall: async (call) => {
        deps.observeCall?.(call);
        await recordEmbeddingCall({ ...deps, logger }, call);
      },
    });
  return { db: deps.db, clock: deps.clock, logger, embedder };
}
