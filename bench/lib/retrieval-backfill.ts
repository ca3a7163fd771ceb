import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { sql } from 'drizzle-orm';
import { notebookContentSchema } from '@hintbook/contracts';
import { mockEmbed } from '../../backend/src/ai/embeddings/mock.js';
import { createEmbedder } from '../../backend/src/ai/embeddings/registry.js';
import type { EmbeddingProvider } from '../../backend/src/ai/embeddings/types.js';
import { estimateTokens } from '../../backend/src/ai/pedagogy/index.js';
import { createPricingTable } from '../../backend/src/ai/pricing.js';
import { selectRows } from '../../backend/src/db/raw.js';
import {
  readModuleFolder,
  seedModule,
  type ModuleContent,
} from '../../backend/src/modules/learning/starter-module.js';
import { notebookExercises } from '../../backend/src/modules/exercises/notebook-exercises.js';
import { backfillRetrieval } from '../../backend/src/modules/retrieval/indexing.service.js';
import type { RetrievalDeps } from '../../backend/src/modules/retrieval/retrieval.types.js';
import { repoRoot } from './processes.js';
import { generateCorpus } from './retrieval-corpus.js';
import type { BenchDatabase } from './retrieval-db.js';

/**
 * What the first backfill costs in embedding tokens: the real path (`backfillRetrieval`: chunk
 * every notebook and text file, embed what has no vector) with a counting embedder in place of
 * the vendor. No vendor tokenizer is available offline, so tokens are estimated with the
 * project's own estimator (characters / 3.5, which leans high); the characters are reported
 * too. Vectors come from the mock embedder (hashed words): only the counts matter here.
 */

/** The default embedding models (registry.ts); their prices come from pricing.ts. */
const MODELS = ['embed-v4.0', 'voyage-3.5'] as const;

export interface BackfillCost {
  what: string;
  modules: number;
  notebooks: number;
  chunks: number;
  textsEmbedded: number;
  characters: number;
  estimatedTokens: number;
  /** Embedding requests, at Cohere's 96 texts per request (each source is embedded apart). */
  vendorCalls: number;
  wallMs: number;
  rerunTexts: number;
  rerunMs: number;
  cost: Array<{ model: string; usd: number; inPricingTs: boolean }>;
}

function countingEmbedder(dimensions: number) {
  const counts = { calls: 0, texts: 0, characters: 0, tokens: 0 };
  const provider: EmbeddingProvider = {
    name: 'mock',
    model: 'bench-count',
    dimensions,
    maxBatchSize: 96,
    embedBatch(texts) {
      counts.calls += 1;
      counts.texts += texts.length;
      for (const text of texts) {
        counts.characters += text.length;
        counts.tokens += estimateTokens(text);
      }
      return Promise.resolve({
        vectors: texts.map((text) => mockEmbed(text, dimensions)),
        inputTokens: texts.reduce((sum, text) => sum + estimateTokens(text), 0),
      });
    },
  };
  return { counts, embedder: createEmbedder(provider, { maxRetries: 0 }) };
}

/** A synthetic module as the admin import would store it: notebooks of the bench's cells. */
function syntheticModules(modules: number, notebooks: number, cells: number): ModuleContent[] {
  const corpus = generateCorpus({
    chunks: modules * notebooks * cells,
    modules,
    notebooksPerModule: notebooks,
    ownShare: 0,
    students: 1,
    seed: 7,
  });
  const out: ModuleContent[] = [];
  for (let m = 0; m < modules; m += 1) {
    const content: ModuleContent = {
      seedKey: `bench-backfill-${m}`,
      slug: `bench-backfill-${m}`,
      title: `Module ${m + 1}`,
      description: '',
      position: m,
      published: true,
      notebooks: [],
      files: [],
    };
    for (let n = 0; n < notebooks; n += 1) {
      const notebookCells = Array.from({ length: cells }, () => {
        const chunk = corpus.next().value!;
        return {
          cell_type: chunk.kind,
          metadata: {},
          source: chunk.content,
          ...(chunk.kind === 'code' ? { outputs: [], execution_count: null } : {}),
        };
      });
      content.notebooks.push({
        slug: `notebook-${n + 1}`,
        title: `${n + 1}. Notebook`,
        description: '',
        content: notebookContentSchema.parse({
          nbformat: 4,
          nbformat_minor: 5,
          metadata: {},
          cells: notebookCells,
        }),
      });
    }
    out.push(content);
  }
  return out;
}

export async function measureBackfill(
  target: BenchDatabase,
  what: 'starter' | { modules: number; notebooks: number; cells: number },
): Promise<BackfillCost> {
  const clock = () => new Date();
  const contents =
    what === 'starter'
      ? [await readModuleFolder(`${repoRoot}/backend/content/starter-module`)]
      : syntheticModules(what.modules, what.notebooks, what.cells);
  for (const content of contents) await seedModule(target.db, content, clock, notebookExercises);
  const { counts, embedder } = countingEmbedder(1024);
  const deps: RetrievalDeps = { db: target.db, clock, logger: pino({ level: 'silent' }), embedder };
  const started = performance.now();
  await backfillRetrieval(deps);
  const wallMs = performance.now() - started;
  const first = { ...counts };
  const rerunStarted = performance.now();
  await backfillRetrieval(deps);
  const rerunMs = performance.now() - rerunStarted;
  const [stored] = await selectRows<{ chunks: number }>(
    target.db,
    sql`select count(*)::int as chunks from retrieval_chunks`,
  );
  const pricing = createPricingTable();
  return {
    what:
      what === 'starter'
        ? 'starter module (backend/content/starter-module)'
        : `synthetic: ${what.modules} modules × ${what.notebooks} notebooks × ${what.cells} cells`,
    modules: contents.length,
    notebooks: contents.reduce((sum, content) => sum + content.notebooks.length, 0),
    chunks: stored?.chunks ?? 0,
    textsEmbedded: first.texts,
    characters: first.characters,
    estimatedTokens: first.tokens,
    vendorCalls: first.calls,
    wallMs,
    rerunTexts: counts.texts - first.texts,
    rerunMs,
    cost: MODELS.map((model) => {
      // Unrounded: pricing.ts rounds each call's cost to 6 decimals, as usage_events stores it.
      const price = pricing.prices()[model];
      return {
        model,
        usd: price ? (first.tokens * price.inputPerMillion) / 1_000_000 : NaN,
        inPricingTs: Boolean(price),
      };
    }),
  };
}
