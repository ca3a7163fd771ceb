import type { Embedder } from '../../ai/embeddings/registry.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';

export interface RetrievalDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Absent without an embedding key: retrieval then uses full-text search alone. */
  embedder?: Embedder | undefined;
}
