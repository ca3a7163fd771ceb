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
import { insertUsageEvent } from '../usage/usage.repository.js';
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
        const usage = { inputTokens: call.inputTokens, outputTokens: 0 };
        try {
          await insertUsageEvent(deps.db, {
            userId: null,
            sessionId: null,
            messageId: null,
            purpose: 'embedding',
            provider: call.provider,
            model: call.model,
            inputTokens: usage.inputTokens,
            outputTokens: 0,
            costUsd: deps.pricing.costOf(call.model, usage).costUsd,
            outcome: call.outcome,
            errorKind: call.error?.kind ?? null,
            durationMs: Math.round(call.durationMs),
            createdAt: deps.clock(),
          });
        } catch (error) {
          logger.error({ err: error, provider: call.provider }, 'could not store embedding usage');
        }
      },
    });
  return { db: deps.db, clock: deps.clock, logger, embedder };
}
