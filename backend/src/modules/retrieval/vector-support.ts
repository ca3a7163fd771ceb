import type { Db } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import { findEmbeddingColumnDimensions } from './retrieval.repository.js';
import type { RetrievalDeps } from './retrieval.types.js';

const detected = new WeakMap<Db, Promise<number | null>>();

/**
 * Whether vectors can be stored and searched here: an embedder is configured AND the server
 * had pgvector when migrations ran, with a column of the embedder's size. Asked once per
 * database; a mismatch is logged once and retrieval stays on full-text search.
 */
export async function canUseVectors(deps: RetrievalDeps): Promise<boolean> {
  if (!deps.embedder) return false;
  let columnDimensions = detected.get(deps.db);
  if (!columnDimensions) {
    columnDimensions = findEmbeddingColumnDimensions(deps.db);
    detected.set(deps.db, columnDimensions);
    warnOnMismatch(await columnDimensions, deps.embedder.provider.dimensions, deps.logger);
  }
  return (await columnDimensions) === deps.embedder.provider.dimensions;
}

function warnOnMismatch(column: number | null, wanted: number, logger: Logger) {
  if (column === null) {
    logger.warn('pgvector is not installed on this database; retrieval uses full-text search only');
  } else if (column !== wanted) {
    logger.warn(
      { column, embeddingDimensions: wanted },
      'EMBEDDING_DIMENSIONS differs from the embedding column; retrieval uses full-text search only',
    );
  }
}
