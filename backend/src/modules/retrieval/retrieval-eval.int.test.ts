import { isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockEmbeddings, mockEmbed } from '../../ai/embeddings/mock.js';
import { createEmbedder } from '../../ai/embeddings/registry.js';
import { retrievalChunks } from '../../db/schema/index.js';
import { backfillRetrieval } from './indexing.service.js';
import type { ChunkHit } from './retrieval.repository.js';
import { createRetrievalTestDatabase, insertUser } from './retrieval.test-helpers.js';
import type { RetrievalDeps } from './retrieval.types.js';
import { fuseByRank, searchMaterial } from './search.service.js';
import { canUseVectors } from './vector-support.js';

/**
 * A small hand-written evaluation over the starter module: questions as students ask them, and
 * the cells (notebook number, 1-based cell) that answer them. A question counts as found when
 * any of its cells is in the top 5. Only a sane floor is asserted; the figures are printed.
 */
const EVALUATION: Array<{ question: string; answers: Array<[notebook: number, cell: number]> }> = [
  {
    question: 'How do I put a variable inside a string?',
    answers: [
      [1, 5],
      [1, 6],
    ],
  },
  {
    question: "Why does Python say name 'greting' is not defined?",
    answers: [
      [1, 9],
      [1, 10],
    ],
  },
  {
    question: "I can't join a number to text with +, what should I do?",
    answers: [
      [1, 11],
      [1, 12],
    ],
  },
  {
    question: 'How do I get the last item of my list without it crashing?',
    answers: [
      [2, 9],
      [2, 10],
    ],
  },
  {
    question: 'Does range(1, 6) include 6?',
    answers: [
      [2, 5],
      [2, 6],
    ],
  },
  { question: 'How can I make a word all capital letters?', answers: [[2, 7]] },
  {
    question: 'How do I add up the prices in a loop?',
    answers: [
      [2, 11],
      [2, 12],
      [2, 13],
    ],
  },
  {
    question: 'I get an IndentationError in my for loop',
    answers: [
      [2, 3],
      [2, 14],
      [2, 15],
    ],
  },
  {
    question: 'What is the difference between return and print?',
    answers: [
      [3, 3],
      [3, 8],
    ],
  },
  {
    question: 'My function shows the average but the result is None',
    answers: [
      [3, 8],
      [3, 9],
      [3, 3],
    ],
  },
  {
    question: 'How do I check whether a number is even?',
    answers: [
      [3, 10],
      [3, 11],
    ],
  },
  {
    question: 'average of an empty list crashes with ZeroDivisionError',
    answers: [
      [3, 12],
      [3, 13],
    ],
  },
  {
    question: 'How do I open and read a CSV file?',
    answers: [
      [4, 1],
      [4, 2],
    ],
  },
  {
    question: 'Why is the score text and not a number?',
    answers: [
      [4, 3],
      [4, 4],
      [4, 5],
    ],
  },
  {
    question: "KeyError 'Score' when I look for the highest score",
    answers: [
      [4, 8],
      [4, 9],
    ],
  },
  {
    question: 'Make a list of the students who scored 50 or more',
    answers: [
      [4, 10],
      [4, 11],
    ],
  },
  { question: 'Count how many students are in each class', answers: [[4, 12]] },
];

const matches = (citation: string, [notebook, cell]: [number, number]) =>
  citation.includes(` · ${notebook}. `) && citation.endsWith(` · cell ${cell}`);

describe('retrieval evaluation on the starter module', () => {
  let setup: Awaited<ReturnType<typeof createRetrievalTestDatabase>>;
  let deps: RetrievalDeps;
  let student: string;

  beforeAll(async () => {
    setup = await createRetrievalTestDatabase();
    const embedder = createEmbedder(createMockEmbeddings({ dimensions: 1024 }), { maxRetries: 0 });
    deps = { ...setup.deps, embedder };
    student = await insertUser(deps.db, 'eval');
    await backfillRetrieval(deps);
    // As autovacuum would: full-text search then ranks only chunks with the question's rarer
    // words (retrieval.repository.ts), so the evaluation measures that, not the small-database path.
    await deps.db.execute(sql`analyze retrieval_chunks`);
  });
  afterAll(async () => setup.drop());

  /**
   * Vector ranking by the database when it has pgvector; otherwise the same cosine ranking in
   * memory over the same chunks, so the fusion is evaluated on every database.
   */
  async function vectorRanking(question: string): Promise<ChunkHit[]> {
    const chunks = await deps.db
      .select({
        id: retrievalChunks.id,
        kind: retrievalChunks.kind,
        citation: retrievalChunks.citation,
        content: retrievalChunks.content,
        ownerUserId: retrievalChunks.ownerUserId,
        moduleId: retrievalChunks.moduleId,
        notebookId: sql<
          string | null
        >`coalesce(${retrievalChunks.moduleNotebookId}, ${retrievalChunks.personalNotebookId})`,
        cellIndex: retrievalChunks.cellIndex,
      })
      .from(retrievalChunks)
      .where(isNull(retrievalChunks.ownerUserId));
    const query = mockEmbed(question, 1024);
    const similarity = (chunk: ChunkHit) => {
      const vector = mockEmbed(`${chunk.citation}\n${chunk.content}`, 1024);
      return vector.reduce((sum, value, index) => sum + value * query[index]!, 0);
    };
    return chunks
      .map((chunk) => ({ chunk, score: similarity(chunk) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 20)
      .map(({ chunk }) => chunk);
  }

  it('reports recall@5 and MRR for full-text search alone and for hybrid retrieval', async () => {
    const inDatabase = await canUseVectors(deps);
    let fullTextFound = 0;
    let hybridFound = 0;
    // Mean reciprocal rank of the first answering cell in full-text's top 20: how high it sits.
    let fullTextReciprocalRanks = 0;
    for (const { question, answers } of EVALUATION) {
      const scope = { userId: student, includeOwn: false, query: question };
      const fullText = await searchMaterial(deps, { ...scope, mode: 'full_text', limit: 20 });
      const hybrid = inDatabase
        ? await searchMaterial(deps, { ...scope, mode: 'hybrid', limit: 5 })
        : fuseByRank([fullText, await vectorRanking(question)]);
      const rankOf = (hits: ChunkHit[]) =>
        hits.findIndex((hit) => answers.some((answer) => matches(hit.citation, answer)));
      const found = (hits: ChunkHit[]) => rankOf(hits.slice(0, 5)) >= 0;
      if (found(fullText)) fullTextFound += 1;
      if (found(hybrid)) hybridFound += 1;
      const rank = rankOf(fullText);
      if (rank >= 0) fullTextReciprocalRanks += 1 / (rank + 1);
    }
    const total = EVALUATION.length;
    console.warn(
      `retrieval recall@5 over ${total} questions — full-text: ${(fullTextFound / total).toFixed(2)} ` +
        `(MRR ${(fullTextReciprocalRanks / total).toFixed(3)}), ` +
        `hybrid (mock embeddings, vectors ${inDatabase ? 'in pgvector' : 'ranked in memory'}): ` +
        `${(hybridFound / total).toFixed(2)}`,
    );
    // Measured: full-text 1.00 (MRR 0.87) with the ranking in retrieval.repository.ts, 0.94
    // (MRR 0.81) with the cover-density ranking before it. The floors leave room for ties.
    expect(fullTextFound / total).toBeGreaterThanOrEqual(0.9);
    expect(fullTextReciprocalRanks / total).toBeGreaterThanOrEqual(0.75);
    expect(hybridFound / total).toBeGreaterThanOrEqual(0.5);
  });
});
