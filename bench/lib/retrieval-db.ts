import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, type Database, type Db } from '../../backend/src/db/client.js';
import { applyMigrations } from '../../backend/src/db/migrate.js';
import { selectRows } from '../../backend/src/db/raw.js';
import { hashChunk } from '../../backend/src/modules/retrieval/chunking.js';
import { toVectorLiteral } from '../../backend/src/modules/retrieval/retrieval.repository.js';
import { createThrowawayDatabase } from './database.js';
import { repoRoot } from './processes.js';
import {
  createRandom,
  generateCorpus,
  randomUnitVector,
  TOPICS,
  type CorpusOptions,
} from './retrieval-corpus.js';

/** Databases the retrieval bench runs on, migrated by the real migrations. */

export const DIMENSIONS = 1024;
export const BENCH_MODEL = 'bench-embed';
/** Uniform noise in ±NOISE_SPAN/2 per dimension: sd = span/√12 ≈ 1/√1024, length ≈ 1. */
const NOISE_SPAN = 0.108;

export interface BenchDatabase {
  label: string;
  driver: 'pg' | 'pglite';
  database: Database;
  db: Db;
  hasVectors: boolean;
  server: string;
  close(): Promise<void>;
}

/** `pglite` (a temporary folder) or a throwaway database on the PostgreSQL server at `url`. */
export async function openBenchDatabase(label: string, url: string | undefined) {
  let drop: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  let database: Database;
  if (url) {
    const throwaway = await createThrowawayDatabase(url);
    drop = throwaway.drop;
    database = openDatabase({ url: throwaway.url, dataDir: 'unused' });
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'hintbook-bench-retrieval-'));
    database = openDatabase({ dataDir });
  }
  await applyMigrations(database, path.join(repoRoot, 'migrations'));
  const db = database.db;
  const [info] = await selectRows<{ version: string; vector: string | null }>(
    db,
    sql`select current_setting('server_version') as version,
          (select extversion from pg_extension where extname = 'vector') as vector`,
  );
  const result: BenchDatabase = {
    label,
    driver: database.driver,
    database,
    db,
    hasVectors: info?.vector != null,
    server:
      `${database.driver === 'pglite' ? 'PGlite, ' : ''}PostgreSQL ${info?.version}` +
      (info?.vector ? `, pgvector ${info.vector}` : ', no pgvector'),
    async close() {
      await database.close();
      await drop?.();
      if (dataDir && !process.env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return result;
}

export interface LoadedCorpus {
  moduleIds: string[];
  publishedModuleIds: string[];
  studentIds: string[];
  topicCentroids: number[][];
  chunks: number;
  insertMs: number;
  ftsIndexMs: number;
  hnswIndexMs: number | null;
  analyzeMs: number;
  tableMb: number;
  hnswMb: number | null;
  ftsMb: number;
}

const time = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/**
 * Loads the synthetic course: modules (9 in 10 published), students, chunks with their vectors.
 * The FTS and HNSW indexes are dropped first and rebuilt after the load, with the migrations'
 * own definitions, so their build time is measured (a bulk build, as after a first backfill).
 * Vectors are made in SQL: normalise(topic centroid + module's or student's offset + noise), so 100k × 1024
 * floats never cross the wire as text.
 */
export async function loadCorpus(
  target: BenchDatabase,
  options: CorpusOptions,
  log: (message: string) => void,
): Promise<LoadedCorpus> {
  const { db } = target;
  const random = createRandom(options.seed ^ 0x5eed);
  const moduleIds = Array.from({ length: options.modules }, () => randomUUID());
  const published = moduleIds.filter((_, i) => i % 10 !== 9);
  const studentIds = Array.from({ length: options.students }, () => randomUUID());
  await db.execute(
    sql`insert into modules (id, slug, title, published, position)
        select id, 'bench-' || n, 'Module ' || n, n % 10 <> 0, n
        from unnest(${toPgArray(moduleIds)}::uuid[]) with ordinality as m(id, n)`,
  );
  await db.execute(
    sql`insert into users (id, email, username, password_hash)
        select id, 'bench-' || n || '@example.test', 'bench_' || n, 'not-a-hash'
        from unnest(${toPgArray(studentIds)}::uuid[]) with ordinality as s(id, n)`,
  );
  const topicCentroids = TOPICS.map(() => randomUnitVector(random, DIMENSIONS));
  await db.execute(sql`drop index if exists retrieval_chunks_search_idx`);
  if (target.hasVectors) {
    await db.execute(sql`drop index if exists retrieval_chunks_embedding_idx`);
    await db.execute(sql`create table bench_topics (topic int primary key, centroid vector)`);
    // Each module and each student's notebooks lean their own way (offset of length 0.5), so
    // course and own chunks sit at the same distance from their topic.
    await db.execute(sql`create table bench_offsets (source_id uuid primary key, v vector)`);
    for (const [topic, centroid] of topicCentroids.entries()) {
      await db.execute(
        sql`insert into bench_topics values (${topic}, ${toVectorLiteral(centroid)}::vector)`,
      );
    }
    for (const id of [...moduleIds, ...studentIds]) {
      const offset = randomUnitVector(random, DIMENSIONS).map((value) => value * 0.5);
      await db.execute(
        sql`insert into bench_offsets values (${id}, ${toVectorLiteral(offset)}::vector)`,
      );
    }
  }

  const batchSize = target.driver === 'pglite' ? 500 : 2_000;
  let batch: object[] = [];
  let chunks = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db.execute(insertBatch(JSON.stringify(batch), target.hasVectors));
    chunks += batch.length;
    batch = [];
    if (chunks % 20_000 === 0) log(`  ${chunks} chunks`);
  };
  const insertMs = await time(async () => {
    for (const chunk of generateCorpus(options)) {
      batch.push({
        owner_user_id: chunk.owner === null ? null : studentIds[chunk.owner],
        module_id: chunk.module === null ? null : moduleIds[chunk.module],
        source_key: chunk.sourceKey,
        position: chunk.position,
        cell_index: chunk.cellIndex,
        kind: chunk.kind,
        citation: chunk.citation,
        content: chunk.content,
        content_hash: hashChunk(chunk.citation, chunk.content),
        topic: chunk.topic,
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  });
  log(`  ${chunks} chunks inserted in ${(insertMs / 1000).toFixed(1)} s; building indexes`);
  // The migrations' definitions (0009, 0006), unchanged.
  const ftsIndexMs = await time(() =>
    db.execute(
      sql`create index retrieval_chunks_search_idx on retrieval_chunks using gin (search_vector)`,
    ),
  );
  const hnswIndexMs = target.hasVectors
    ? await time(() =>
        db.execute(
          sql`create index retrieval_chunks_embedding_idx on retrieval_chunks
              using hnsw (embedding vector_cosine_ops)`,
        ),
      )
    : null;
  const analyzeMs = await time(() => db.execute(sql`analyze`));
  const [sizes] = await selectRows<{ table: string; hnsw: string | null; fts: string }>(
    db,
    sql`select pg_total_relation_size('retrieval_chunks') as table,
          pg_relation_size(to_regclass('retrieval_chunks_embedding_idx')) as hnsw,
          pg_relation_size('retrieval_chunks_search_idx') as fts`,
  );
  const mb = (bytes: string | null | undefined) => (bytes == null ? null : Number(bytes) / 2 ** 20);
  return {
    moduleIds,
    publishedModuleIds: published,
    studentIds,
    topicCentroids,
    chunks,
    insertMs,
    ftsIndexMs,
    hnswIndexMs,
    analyzeMs,
    tableMb: mb(sizes?.table) ?? NaN,
    hnswMb: mb(sizes?.hnsw),
    ftsMb: mb(sizes?.fts) ?? NaN,
  };
}

function insertBatch(rows: string, withVectors: boolean): SQL {
  const columns = sql`r.owner_user_id, r.module_id, r.source_key, r.position, r.cell_index,
    r.kind, r.citation, r.content, r.content_hash, ${BENCH_MODEL}, now()`;
  const records = sql`json_to_recordset(${rows}::json) as r(owner_user_id uuid, module_id uuid,
    source_key text, position int, cell_index int, kind text, citation text, content text,
    content_hash text, topic int)`;
  const target = sql`insert into retrieval_chunks (owner_user_id, module_id, source_key, position,
    cell_index, kind, citation, content, content_hash, embedding_model, embedded_at`;
  if (!withVectors) return sql`${target}) select ${columns} from ${records}`;
  // The noise sub-select refers to r so it runs per row (an uncorrelated one would run once).
  return sql`${target}, embedding) select ${columns},
      l2_normalize(t.centroid + o.v
        + (select array_agg((random() - 0.5) * ${NOISE_SPAN})::vector
           from generate_series(1, ${DIMENSIONS}) where r.position >= 0))
    from ${records}
    join bench_topics t on t.topic = r.topic
    join bench_offsets o on o.source_id = coalesce(r.module_id, r.owner_user_id)`;
}

/** A Postgres array literal: one parameter for both drivers (Drizzle spreads JS arrays). */
function toPgArray(values: string[]): string {
  return `{${values.join(',')}}`;
}

/**
 * The statements a repository function sends, captured without running them (for EXPLAIN);
 * a transaction it opens runs on the recorder too.
 */
export async function captureQueries(db: Db, run: (db: Db) => Promise<unknown>): Promise<SQL[]> {
  const captured: SQL[] = [];
  const recorder: Db = new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'execute') {
        return (query: SQL) => {
          captured.push(query);
          return Promise.resolve({ rows: [] });
        };
      }
      if (property === 'transaction') return (work: (tx: Db) => unknown) => work(recorder);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  await run(recorder);
  return captured;
}

/** EXPLAIN ANALYZE of the last statement, after the ones before it, in one transaction. */
export async function explainLast(db: Db, queries: SQL[]): Promise<string> {
  if (queries.length === 0) return '(no query captured)';
  const rows = await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    for (const query of queries.slice(0, -1)) await tx.execute(query);
    return selectRows<Record<string, string>>(
      tx,
      sql`explain (analyze, buffers, costs off) ${queries.at(-1)!}`,
    );
  });
  return rows
    .map((row) => Object.values(row)[0])
    .join('\n')
    .replace(/'\[[-0-9.e,]+\]'::vector/g, "'[…]'::vector");
}
