import { and, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import { selectRows } from '../../db/raw.js';
import { retrievalChunks } from '../../db/schema/index.js';
import type { ChunkDraft } from './chunking.js';
import { visibleModuleIds } from '../learning/module-visibility.query.js';

/** Where a set of chunks came from; every chunk of one source shares these columns. */
export interface ChunkSource {
  sourceKey: string;
  ownerUserId: string | null;
  moduleId: string | null;
  moduleNotebookId?: string | null;
  moduleFileId?: string | null;
  personalNotebookId?: string | null;
}

export function findChunkHashes(db: Db, sourceKey: string) {
  return db
    .select({
      position: retrievalChunks.position,
      contentHash: retrievalChunks.contentHash,
    })
    .from(retrievalChunks)
    .where(eq(retrievalChunks.sourceKey, sourceKey));
}

/** Inserts or replaces chunks; a replaced chunk loses its embedding mark so it is re-embedded. */
export async function upsertChunks(db: Db, source: ChunkSource, drafts: ChunkDraft[], now: Date) {
  if (drafts.length === 0) return;
  await db
    .insert(retrievalChunks)
    .values(
      drafts.map((draft) => ({
        sourceKey: source.sourceKey,
        ownerUserId: source.ownerUserId,
        moduleId: source.moduleId,
        moduleNotebookId: source.moduleNotebookId ?? null,
        moduleFileId: source.moduleFileId ?? null,
        personalNotebookId: source.personalNotebookId ?? null,
        position: draft.position,
        cellIndex: draft.cellIndex,
        kind: draft.kind,
        citation: draft.citation,
        content: draft.content,
        contentHash: draft.contentHash,
        embeddedAt: null,
        embeddingModel: null,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [retrievalChunks.sourceKey, retrievalChunks.position],
      set: {
        cellIndex: sql`excluded.cell_index`,
        kind: sql`excluded.kind`,
        citation: sql`excluded.citation`,
        content: sql`excluded.content`,
        contentHash: sql`excluded.content_hash`,
        embeddedAt: null,
        embeddingModel: null,
        updatedAt: now,
      },
    });
}

export async function deleteChunksFrom(db: Db, sourceKey: string, fromPosition: number) {
  await db
    .delete(retrievalChunks)
    .where(
      and(eq(retrievalChunks.sourceKey, sourceKey), gte(retrievalChunks.position, fromPosition)),
    );
}

export async function deleteChunksOfSource(db: Db, sourceKey: string) {
  await db.delete(retrievalChunks).where(eq(retrievalChunks.sourceKey, sourceKey));
}

/**
 * The embedding column's size, or null when the column does not exist (no pgvector on this
 * server: the custom migration skipped it).
 */
export async function findEmbeddingColumnDimensions(db: Db): Promise<number | null> {
  const [row] = await selectRows<{ type: string }>(
    db,
    sql`select format_type(atttypid, atttypmod) as type from pg_attribute
        where attrelid = to_regclass('retrieval_chunks') and attname = 'embedding'
          and not attisdropped`,
  );
  const match = row?.type.match(/^vector\((\d+)\)$/);
  return match ? Number(match[1]) : null;
}

export interface PendingChunk {
  id: string;
  citation: string;
  content: string;
  contentHash: string;
}

/** Chunks never embedded, changed since, or embedded by another model; in id order for paging. */
export function findChunksToEmbed(
  db: Db,
  options: { model: string; sourceKey?: string | undefined; afterId?: string; limit: number },
) {
  return selectRows<PendingChunk>(
    db,
    sql`select id, citation, content, content_hash as "contentHash" from retrieval_chunks
        where (embedded_at is null or embedding_model is distinct from ${options.model})
          ${options.sourceKey ? sql`and source_key = ${options.sourceKey}` : sql``}
          ${options.afterId ? sql`and id > ${options.afterId}` : sql``}
        order by id limit ${options.limit}`,
  );
}

/** The hash guard drops vectors for text that changed while it was being embedded. */
export async function storeEmbedding(
  db: Db,
  chunk: { id: string; contentHash: string },
  vector: number[],
  model: string,
  now: Date,
) {
  await db.execute(
    sql`update retrieval_chunks
        set embedding = ${toVectorLiteral(vector)}::vector, embedding_model = ${model},
            embedded_at = ${now.toISOString()}
        where id = ${chunk.id} and content_hash = ${chunk.contentHash}`,
  );
}

export function toVectorLiteral(vector: number[]): string {
  return `[${vector.map((value) => (Number.isFinite(value) ? value : 0)).join(',')}]`;
}

/**
 * Who may see what: the student's own chunks, and course material of published modules meant
 * for everyone or for the student's groups.
 */
export interface SearchScope {
  userId: string;
  /** Limits course material to this module (the session's); own chunks stay included. */
  moduleId?: string | undefined;
  includeOwn: boolean;
}

function scopeFilter(scope: SearchScope) {
  const course = sql`(c.owner_user_id is null and c.module_id in (${visibleModuleIds(scope.userId)})
    ${scope.moduleId ? sql`and c.module_id = ${scope.moduleId}` : sql``})`;
  return scope.includeOwn ? sql`(c.owner_user_id = ${scope.userId} or ${course})` : course;
}

export interface ChunkHit {
  id: string;
  kind: 'markdown' | 'code' | 'data_file';
  citation: string;
  content: string;
  /** Null for course material. */
  ownerUserId: string | null;
  moduleId: string | null;
  /** The module or personal notebook it was cut from; null for data files. */
  notebookId: string | null;
  cellIndex: number | null;
}

const HIT_COLUMNS = sql`c.id, c.kind, c.citation, c.content, c.owner_user_id as "ownerUserId",
  c.module_id as "moduleId", coalesce(c.module_notebook_id, c.personal_notebook_id) as "notebookId",
  c.cell_index as "cellIndex"`;

/** A word in more than this share of chunks says little about which chunk answers. */
const COMMON_LEXEME_SHARE = 0.1;
/**
 * Below this many chunks ranking every match is fast anyway, and narrowing to rare words cost
 * recall on the starter module's evaluation (full-text recall@5 0.94 → 0.82): search them all.
 */
const NARROW_FROM_CHUNKS = 5_000;
/**
 * How a match is ranked: term frequency over 1 + log(length), so a short cell that says it beats
 * a long one that mentions it. Not `ts_rank_cd` (cover density): with a question's dozen OR-ed
 * words it cost ~60 µs per matching chunk against ~3 µs (43 of the starter module's 54 chunks
 * matched a typical question: 2.5 ms against 0.15 ms of the database's time, before every
 * answer), and it ranked worse on the starter module's evaluation (full-text recall@5 0.94 →
 * 1.00, MRR 0.81 → 0.87; retrieval-eval.int.test.ts, bench/README.md).
 */
const rankBy = (query: SQL) => sql`ts_rank(c.search_vector, ${query}, 1)`;

/** Most rare words a search keeps; with none rare, the few least common ones. */
const MAX_RARE_LEXEMES = 8;
const FALLBACK_LEXEMES = 3;

/**
 * `terms` are bare words; chunks are ranked by how well they match all of them. In a large
 * index, which chunks are ranked at all is decided by the question's rarer words only: its
 * common words ("print", "list", "cell") match most of a course, and ranking tens of thousands
 * of chunks took seconds at 100k chunks. Word frequencies come from the planner's statistics of
 * the search column (ANALYZE); without statistics every word counts.
 *
 * A small index (the usual class: a few modules) is searched with a plain query instead: every
 * turn runs this before its answer call, and reading the statistics and the table's size made
 * the statement ~4× slower to plan and run (bench/README.md, "Before the answer call"). Same
 * rows: below NARROW_FROM_CHUNKS the narrowing keeps every word anyway.
 */
export async function searchChunksFullText(
  db: Db,
  scope: SearchScope,
  terms: string[],
  limit: number,
) {
  if (terms.length === 0) return [];
  const query = sql`to_tsquery('english', ${terms.join(' | ')})`;
  if (!(await isLargeIndex(db))) {
    return selectRows<ChunkHit>(
      db,
      sql`select ${HIT_COLUMNS} from retrieval_chunks c
          where c.search_vector @@ ${query} and ${scopeFilter(scope)}
          order by ${rankBy(query)} desc, c.id limit ${limit}`,
    );
  }
  const words = terms.join(' ');
  return selectRows<ChunkHit>(
    db,
    sql`with stats as (
          select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
          from pg_stats where tablename = 'retrieval_chunks' and attname = 'search_vector'
          limit 1),
        lexemes as (
          select lexeme, coalesce((select freqs[array_position(elems, lexeme)] from stats), 0)
            as share
          from unnest(tsvector_to_array(to_tsvector('english', ${words}))) as lexeme),
        chosen as (
          select coalesce(
              (select string_agg(lexeme, ' | ') from (select lexeme from lexemes
                 where share < ${COMMON_LEXEME_SHARE} order by share, lexeme
                 limit ${MAX_RARE_LEXEMES}) rare),
              (select string_agg(lexeme, ' | ') from (select lexeme from lexemes
                 order by share, lexeme limit ${FALLBACK_LEXEMES}) fewest)) as candidates)
        select ${HIT_COLUMNS} from retrieval_chunks c, chosen
        where c.search_vector @@ to_tsquery('simple', chosen.candidates) and ${scopeFilter(scope)}
        order by ${rankBy(query)} desc, c.id limit ${limit}`,
  );
}

/** How long the index's size, as the planner estimates it, is taken as known. */
const INDEX_SIZE_TTL_MS = 60_000;
const indexSizes = new WeakMap<Db, { at: number; isLarge: Promise<boolean> }>();

/**
 * Whether the index has NARROW_FROM_CHUNKS chunks or more (pg_class.reltuples, kept by ANALYZE
 * and autovacuum), read at most once a minute per database: it changes when modules are
 * imported, not between two questions.
 */
function isLargeIndex(db: Db): Promise<boolean> {
  const now = Date.now();
  const known = indexSizes.get(db);
  if (known && now - known.at < INDEX_SIZE_TTL_MS) return known.isLarge;
  const isLarge = selectRows<{ chunks: number }>(
    db,
    sql`select reltuples::float8 as chunks from pg_class where oid = 'retrieval_chunks'::regclass`,
  ).then(([row]) => Number(row?.chunks ?? 0) >= NARROW_FROM_CHUNKS);
  // A failed read is not remembered: the next search asks again.
  isLarge.catch(() => indexSizes.delete(db));
  indexSizes.set(db, { at: now, isLarge });
  return isLarge;
}

/**
 * Nearest chunks by cosine distance. Unlike full-text search, nearest neighbours always exist,
 * related or not: `minSimilarity` keeps unrelated passages (and their citations) out.
 *
 * The HNSW index scan yields `hnsw.ef_search` candidates (default 40) and the visibility filter
 * runs on those: where most near chunks are hidden (unpublished modules, other students'
 * notebooks), fewer than `limit` rows came back, often none. pgvector ≥ 0.8 can keep scanning
 * until enough rows pass (`hnsw.iterative_scan`); with ef_search 100 the last short answers
 * went and recall rose (0.67 → 0.86 at 100k) for about 1 ms. Both are set for this transaction
 * only, and skipped with an older pgvector, which lacks the first. The similarity floor is
 * applied after the LIMIT, outside the scan (same rows), so the scan stops at `limit` visible
 * rows instead of searching far for rows above the floor (bench/README.md, "Retrieval").
 */
export function searchChunksByVector(
  db: Db,
  scope: SearchScope,
  query: { vector: number[]; model: string; minSimilarity: number },
  limit: number,
) {
  return withTransaction(db, async (tx) => {
    // The '[0]'::vector literal is parsed first, which loads pgvector on this connection, so
    // current_setting sees its settings even on the connection's first vector query.
    await tx.execute(
      sql`select set_config('hnsw.iterative_scan', 'strict_order', true),
            set_config('hnsw.ef_search', '100', true)
          from (select '[0]'::vector) v where current_setting('hnsw.iterative_scan', true) is not null`,
    );
    return selectRows<ChunkHit>(
      tx,
      sql`with nearest as materialized (
            select ${HIT_COLUMNS}, c.embedding <=> ${toVectorLiteral(query.vector)}::vector as distance
            from retrieval_chunks c
            where c.embedded_at is not null and c.embedding_model = ${query.model}
              and ${scopeFilter(scope)}
            order by distance limit ${limit})
          select id, kind, citation, content, "ownerUserId", "moduleId", "notebookId", "cellIndex"
          from nearest where distance <= ${1 - query.minSimilarity} order by distance`,
    );
  });
}

/** Passages by kind of owner, and how many have a vector from `model`. */
export async function countChunks(db: Db, model: string | undefined) {
  const [row] = await selectRows<{ course: number; own: number; embedded: number }>(
    db,
    sql`select count(*) filter (where owner_user_id is null)::int as course,
          count(*) filter (where owner_user_id is not null)::int as own,
          count(*) filter (where embedded_at is not null
            and embedding_model = ${model ?? ''})::int as embedded
        from retrieval_chunks`,
  );
  return row ?? { course: 0, own: 0, embedded: 0 };
}
