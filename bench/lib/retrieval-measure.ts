import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { createEmbedder } from '../../backend/src/ai/embeddings/registry.js';
import type { EmbeddingProvider } from '../../backend/src/ai/embeddings/types.js';
import type { Db } from '../../backend/src/db/client.js';
import { selectRows } from '../../backend/src/db/raw.js';
import {
  searchChunksByVector,
  toVectorLiteral,
  type ChunkHit,
  type SearchScope,
} from '../../backend/src/modules/retrieval/retrieval.repository.js';
import type { RetrievalDeps } from '../../backend/src/modules/retrieval/retrieval.types.js';
import {
  DEFAULT_MIN_SIMILARITY,
  queryTerms,
  searchMaterial,
} from '../../backend/src/modules/retrieval/search.service.js';
import { createRandom, noise, normalise, type Question } from './retrieval-corpus.js';
import {
  BENCH_MODEL,
  captureQueries,
  DIMENSIONS,
  explainLast,
  type BenchDatabase,
  type LoadedCorpus,
} from './retrieval-db.js';
import { summarizeValues, type Summary } from './stats.js';

/** Timing the real search functions over one dedicated connection, one query at a time. */

export type Mode = 'full_text' | 'vector' | 'hybrid';
export type ScopeName = 'workspace' | 'course';
export const SCOPES: Record<ScopeName, string> = {
  workspace: "one module's material + own notebooks (a module workspace)",
  course: 'all published modules + own notebooks (elsewhere)',
};
const CANDIDATES = 20; // search.service.ts takes 20 from each list

/**
 * Query embeddings without a vendor: each question's vector is precomputed (its topic's centroid
 * plus noise), so the timings are the database's and Hintbook's, not a network's.
 */
export function createInstantEmbedder(questions: Question[], corpus: LoadedCorpus) {
  const random = createRandom(99);
  const vectors = new Map<string, number[]>();
  for (const question of questions) {
    const centroid = corpus.topicCentroids[question.topic]!;
    const jitter = noise(random, DIMENSIONS, 1);
    vectors.set(question.text, normalise(centroid.map((value, i) => value + jitter[i]!)));
  }
  const provider: EmbeddingProvider = {
    name: 'mock',
    model: BENCH_MODEL,
    dimensions: DIMENSIONS,
    maxBatchSize: 96,
    embedBatch: (texts) =>
      Promise.resolve({
        vectors: texts.map((text) => vectors.get(text) ?? new Array<number>(DIMENSIONS).fill(0)),
        inputTokens: 0,
      }),
  };
  return { embedder: createEmbedder(provider, { maxRetries: 0 }), vectors };
}

export interface QueryPlan {
  question: Question;
  scope: SearchScope;
}

/** Query i: question i, student i, and (workspace scope) published module i, round-robin. */
export function planQueries(
  questions: Question[],
  corpus: LoadedCorpus,
  scope: ScopeName,
): QueryPlan[] {
  return questions.map((question, i) => ({
    question,
    scope: {
      userId: corpus.studentIds[i % corpus.studentIds.length]!,
      moduleId:
        scope === 'workspace'
          ? corpus.publishedModuleIds[(i * 7) % corpus.publishedModuleIds.length]
          : undefined,
      includeOwn: true,
    },
  }));
}

export interface Session {
  deps: RetrievalDeps;
  vectors: Map<string, number[]>;
}

/** Runs `work` on one connection with `settings` SET on it (session-wide), then resets them. */
export async function withSession<T>(
  target: BenchDatabase,
  base: Omit<Session, 'deps'> & { embedder: RetrievalDeps['embedder'] },
  settings: Record<string, string>,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  return target.database.withConnection(async (db) => {
    for (const [name, value] of Object.entries(settings)) {
      await db.execute(sql`select set_config(${name}, ${value}, false)`);
    }
    try {
      const deps: RetrievalDeps = {
        db,
        clock: () => new Date(),
        logger: pino({ level: 'silent' }),
        embedder: target.hasVectors ? base.embedder : undefined,
      };
      return await work({ deps, vectors: base.vectors });
    } finally {
      // Names come from the bench's own list, never from input.
      for (const name of Object.keys(settings)) await db.execute(sql.raw(`reset ${name}`));
    }
  });
}

/** What searchMaterial passes: the question's vector, the model, the similarity floor. */
function vectorQuery(session: Session, plan: QueryPlan) {
  return {
    vector: session.vectors.get(plan.question.text)!,
    model: BENCH_MODEL,
    minSimilarity: DEFAULT_MIN_SIMILARITY,
  };
}

export function runQuery(session: Session, mode: Mode, plan: QueryPlan): Promise<unknown> {
  if (mode === 'vector') {
    return searchChunksByVector(
      session.deps.db,
      plan.scope,
      vectorQuery(session, plan),
      CANDIDATES,
    );
  }
  return searchMaterial(session.deps, { ...plan.scope, query: plan.question.text, mode });
}

export interface TimedSet {
  all: Summary;
  /** The question alone, as typed. */
  questionOnly: Summary;
  /** Question + last error + active cell's code: chat's search query in a workspace. */
  withCell: Summary;
  samples: number;
  /** True when the deadline stopped the set before every query ran. */
  capped: boolean;
}

/**
 * Warm-up (not kept: at most `warmup` queries or 10 s), then each query timed alone until the
 * plans run out or `deadlineMs` passes (a 2-second query would otherwise take 10 minutes).
 */
export async function timeQueries(
  session: Session,
  mode: Mode,
  plans: QueryPlan[],
  warmup: number,
  deadlineMs: number,
): Promise<TimedSet> {
  const warmUntil = performance.now() + 10_000;
  for (const plan of plans.slice(0, warmup)) {
    if (performance.now() > warmUntil) break;
    await runQuery(session, mode, plan);
  }
  const stopAt = performance.now() + deadlineMs;
  const questionOnly: number[] = [];
  const withCell: number[] = [];
  const timed = plans.slice(warmup);
  for (const plan of timed) {
    if (performance.now() > stopAt) break;
    const started = performance.now();
    await runQuery(session, mode, plan);
    (plan.question.withCell ? withCell : questionOnly).push(performance.now() - started);
  }
  const samples = questionOnly.length + withCell.length;
  return {
    all: summarizeValues([...questionOnly, ...withCell]),
    questionOnly: summarizeValues(questionOnly),
    withCell: summarizeValues(withCell),
    samples,
    capped: samples < timed.length,
  };
}

export interface VectorCheck {
  /** Rows the vector search returned (mean, min) of the 20 asked for… */
  rowsMean: number;
  rowsMin: number;
  /** …and how many the exact search (no index) finds above the similarity floor. */
  exactRowsMean: number;
  /** Queries that got fewer rows than the exact search. */
  shortQueries: number;
  /** Share of the exact top 20 (same SQL, index scans off) that the index scan returned. */
  recallAt20: number;
  usesHnsw: boolean;
  plan: string;
}

type VectorSearch = (
  db: Db,
  scope: SearchScope,
  query: VectorQuery,
  limit: number,
) => Promise<ChunkHit[]>;
type VectorQuery = ReturnType<typeof vectorQuery>;

/**
 * searchChunksByVector as it was before the bench (commit f4d9c49): similarity floor inside the
 * index scan's filter, no iterative scan. Kept to measure the change against (`sparse` check).
 */
export const previousVectorSearch: VectorSearch = (db, scope, query, limit) => {
  const course = sql`(c.owner_user_id is null and c.module_id in (select id from modules where published)
    ${scope.moduleId ? sql`and c.module_id = ${scope.moduleId}` : sql``})`;
  const visible = scope.includeOwn ? sql`(c.owner_user_id = ${scope.userId} or ${course})` : course;
  const distance = sql`c.embedding <=> ${toVectorLiteral(query.vector)}::vector`;
  return selectRows<ChunkHit>(
    db,
    sql`select c.id, c.kind, c.citation, c.content from retrieval_chunks c
        where c.embedded_at is not null and c.embedding_model = ${query.model}
          and ${visible} and ${distance} <= ${1 - query.minSimilarity}
        order by ${distance} limit ${limit}`,
  );
};

/** Is the HNSW index used, does the filtered scan return every row it should, the right ones? */
export async function checkVectorSearch(
  session: Session,
  plans: QueryPlan[],
  search: VectorSearch = searchChunksByVector,
): Promise<VectorCheck & { timing: Summary }> {
  const { db } = session.deps;
  let rows = 0;
  let rowsMin = Infinity;
  let found = 0;
  let expected = 0;
  let shortQueries = 0;
  const durations: number[] = [];
  for (const plan of plans) {
    const run = (on: Db) => search(on, plan.scope, vectorQuery(session, plan), CANDIDATES);
    const started = performance.now();
    const hits = await run(db);
    durations.push(performance.now() - started);
    // The same SQL with index scans off: the exact answer the index scan should give.
    const exact = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      await tx.execute(sql`set local enable_indexscan = off`);
      return run(tx);
    });
    rows += hits.length;
    rowsMin = Math.min(rowsMin, hits.length);
    if (hits.length < exact.length) shortQueries += 1;
    const got = new Set(hits.map((hit) => hit.id));
    found += exact.filter((hit) => got.has(hit.id)).length;
    expected += exact.length;
  }
  const first = plans[0]!;
  const queries = await captureQueries(db, (recorder) =>
    search(recorder, first.scope, vectorQuery(session, first), CANDIDATES),
  );
  const plan = await explainLast(db, queries);
  return {
    rowsMean: rows / plans.length,
    rowsMin,
    exactRowsMean: expected / plans.length,
    shortQueries,
    recallAt20: expected === 0 ? NaN : found / expected,
    usesHnsw: plan.includes('retrieval_chunks_embedding_idx'),
    plan,
    timing: summarizeValues(durations),
  };
}

/**
 * How selective the question's full OR query is (every word): the share of all chunks it
 * matches. The repository narrows large indexes to the rarer words, which match fewer.
 */
export async function fullTextSelectivity(db: Db, questions: Question[]) {
  const shares: number[] = [];
  const [total] = await selectRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from retrieval_chunks`,
  );
  for (const question of questions) {
    const terms = queryTerms(question.text);
    if (terms.length === 0) continue;
    const [row] = await selectRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from retrieval_chunks c
          where c.search_vector @@ to_tsquery('english', ${terms.join(' | ')})`,
    );
    shares.push((row?.n ?? 0) / (total?.n ?? 1));
  }
  return {
    meanShare: shares.reduce((sum, share) => sum + share, 0) / Math.max(1, shares.length),
    maxShare: Math.max(...shares),
  };
}
