import { estimateTokens } from '../../ai/pedagogy/index.js';
import {
  searchChunksByVector,
  searchChunksFullText,
  type ChunkHit,
  type SearchScope,
} from './retrieval.repository.js';
import type { RetrievalDeps } from './retrieval.types.js';
import { canUseVectors } from './vector-support.js';

/** Candidates taken from each list before fusing. */
const CANDIDATES = 20;
/** The usual reciprocal-rank-fusion constant: damps the weight of the very top ranks. */
const RRF_K = 60;
/**
 * Below this cosine similarity a passage is taken as unrelated. Cohere's and Voyage's current
 * models put unrelated English text around 0.1–0.3 and paraphrases above 0.5 (RETRIEVAL_MIN_SIMILARITY).
 */
export const DEFAULT_MIN_SIMILARITY = 0.3;

export interface RetrievedChunk extends ChunkHit {
  score: number;
}

export interface SearchOptions extends SearchScope {
  query: string;
  /** Most chunks to return, before the token budget. */
  limit?: number;
  /** Tokens the returned chunks may take together (estimated). */
  tokenBudget?: number;
  /** `hybrid` (default) uses vectors when available; `full_text` never does (evaluation). */
  mode?: 'hybrid' | 'full_text';
  /** Vector hits below this cosine similarity are dropped (default DEFAULT_MIN_SIMILARITY). */
  minSimilarity?: number;
  /** Bounds the question's embedding call; when it fires, full-text hits are used alone. */
  signal?: AbortSignal | undefined;
}

/** Bare words for an OR query: stop words are dropped by Postgres' english configuration. */
export function queryTerms(query: string): string[] {
  const words =
    query
      .toLowerCase()
      .replace(/_/g, ' ')
      .match(/[a-z0-9]+/g) ?? [];
  return [...new Set(words.filter((word) => word.length > 1))].slice(0, 32);
}

/** Reciprocal rank fusion: each list votes 1/(k + rank) for its items. */
export function fuseByRank(lists: ChunkHit[][]): RetrievedChunk[] {
  const fused = new Map<string, RetrievedChunk>();
  for (const list of lists) {
    list.forEach((hit, rank) => {
      const entry = fused.get(hit.id) ?? { ...hit, score: 0 };
      entry.score += 1 / (RRF_K + rank + 1);
      fused.set(hit.id, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}

/**
 * Hybrid retrieval over what the student may see: Postgres full-text search and, when an
 * embedder and pgvector are both there, vector similarity, fused by rank. A failing embedding
 * call degrades to full-text results instead of failing the tutor's answer.
 */
export async function searchMaterial(
  deps: RetrievalDeps,
  options: SearchOptions,
): Promise<RetrievedChunk[]> {
  const scope: SearchScope = {
    userId: options.userId,
    moduleId: options.moduleId,
    includeOwn: options.includeOwn,
  };
  const fullText = searchChunksFullText(deps.db, scope, queryTerms(options.query), CANDIDATES);
  const lists = [await fullText];
  if (options.mode !== 'full_text' && deps.embedder && (await canUseVectors(deps))) {
    try {
      const [vector] = await deps.embedder.embed([options.query], 'query', options.signal);
      lists.push(
        await searchChunksByVector(
          deps.db,
          scope,
          {
            vector: vector!,
            model: deps.embedder.provider.model,
            minSimilarity: options.minSimilarity ?? DEFAULT_MIN_SIMILARITY,
          },
          CANDIDATES,
        ),
      );
    } catch (error) {
      deps.logger.warn({ err: error }, 'query embedding failed; using full-text results only');
    }
  }
  return withinBudget(fuseByRank(lists).slice(0, options.limit ?? 8), options.tokenBudget);
}

function withinBudget(chunks: RetrievedChunk[], budget: number | undefined): RetrievedChunk[] {
  if (budget === undefined) return chunks;
  const kept: RetrievedChunk[] = [];
  let used = 0;
  for (const chunk of chunks) {
    const cost = estimateTokens(chunk.citation) + estimateTokens(chunk.content) + 4;
    if (used + cost > budget) continue;
    kept.push(chunk);
    used += cost;
  }
  return kept;
}

/** The tutor's background text: each passage under its short citation. */
export function formatRetrievedMaterial(chunks: RetrievedChunk[]): string | undefined {
  if (chunks.length === 0) return undefined;
  return chunks
    .map((chunk) => {
      const body = chunk.kind === 'code' ? `\`\`\`python\n${chunk.content}\n\`\`\`` : chunk.content;
      return `[${chunk.citation}]\n${body}`;
    })
    .join('\n\n');
}
