import type { RetrievalStatus } from '@hintbook/contracts';
import { countChunks, findEmbeddingColumnDimensions } from './retrieval.repository.js';
import type { RetrievalDeps } from './retrieval.types.js';

/**
 * What the admin panel shows about course search: whether meaning-based search is on (and if
 * not, what is missing, in the order an operator would fix it) and how much is indexed.
 */
export async function getRetrievalStatus(deps: RetrievalDeps): Promise<RetrievalStatus> {
  const provider = deps.embedder?.provider;
  const [column, counts] = await Promise.all([
    findEmbeddingColumnDimensions(deps.db),
    countChunks(deps.db, provider?.model),
  ]);
  const reason = !provider
    ? ('no_embedding_key' as const)
    : column === null
      ? ('no_pgvector' as const)
      : column !== provider.dimensions
        ? ('dimension_mismatch' as const)
        : null;
  const total = counts.course + counts.own;
  return {
    mode: reason ? 'full_text' : 'hybrid',
    reason,
    embedding: provider ? { provider: provider.name, model: provider.model } : null,
    passages: {
      course: counts.course,
      own: counts.own,
      embedded: reason ? 0 : counts.embedded,
      pending: reason ? 0 : total - counts.embedded,
    },
  };
}
