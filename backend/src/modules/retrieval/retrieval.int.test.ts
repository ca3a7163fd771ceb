import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockEmbeddings } from '../../ai/embeddings/mock.js';
import { createEmbedder } from '../../ai/embeddings/registry.js';
import { personalNotebooks, retrievalChunks } from '../../db/schema/index.js';
import { chunkNotebook } from './chunking.js';
import {
  backfillRetrieval,
  indexPersonalNotebook,
  type BackfillProgress,
} from './indexing.service.js';
import { findChunksToEmbed } from './retrieval.repository.js';
import { createRetrievalIndexer } from './retrieval-indexer.js';
import { createRetrievalTestDatabase, insertUser } from './retrieval.test-helpers.js';
import type { RetrievalDeps } from './retrieval.types.js';
import { formatRetrievedMaterial, searchMaterial } from './search.service.js';
import { canUseVectors } from './vector-support.js';

const notebook = (...sources: string[]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: sources.map((source, index) => ({
    cell_type: index % 2 === 0 ? 'markdown' : 'code',
    source,
    metadata: {},
    ...(index % 2 === 0 ? {} : { outputs: [], execution_count: null }),
  })),
});

describe('course retrieval', () => {
  let setup: Awaited<ReturnType<typeof createRetrievalTestDatabase>>;
  let deps: RetrievalDeps;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    setup = await createRetrievalTestDatabase();
    deps = setup.deps;
    alice = await insertUser(deps.db, 'alice');
    bob = await insertUser(deps.db, 'bob');
    await backfillRetrieval(deps);
  });
  afterAll(async () => setup.drop());

  const addPersonal = async (userId: string, title: string, ...cells: string[]) => {
    const [row] = await deps.db
      .insert(personalNotebooks)
      .values({ userId, title, content: notebook(...cells), sizeBytes: 100 })
      .returning({ id: personalNotebooks.id });
    await indexPersonalNotebook(deps, row!.id);
    return row!.id;
  };

  it('cuts the starter module into cell chunks cited by module, notebook and cell', async () => {
    const rows = await deps.db
      .select({ citation: retrievalChunks.citation, kind: retrievalChunks.kind })
      .from(retrievalChunks);
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.map((row) => row.citation)).toContain(
      'Getting started with Python · 2. Lists and loops · cell 3',
    );
    // The data file is indexed too, in runs of lines under its header.
    expect(
      rows.some((row) => row.kind === 'data_file' && row.citation.includes('scores.csv')),
    ).toBe(true);
  });

  it('answers from course material by full-text search when no embedder is configured', async () => {
    const hits = await searchMaterial(deps, {
      userId: alice,
      includeOwn: true,
      query: 'What is the difference between return and print?',
      limit: 5,
    });
    expect(hits[0]?.citation).toMatch(/3\. Functions · cell 3$/);
    const text = formatRetrievedMaterial(hits)!;
    expect(text).toContain('[Getting started with Python · 3. Functions · cell 3]');
  });

  it("never returns another student's notebook chunks", async () => {
    await addPersonal(alice, 'Zoo', 'My quokka notes: quokkas smile a lot', 'print("quokka")');
    await addPersonal(bob, 'Secret', 'Bob writes about a quokka password', 'quokka = 42');
    const asAlice = await searchMaterial(deps, {
      userId: alice,
      includeOwn: true,
      query: 'quokka',
    });
    const asBob = await searchMaterial(deps, { userId: bob, includeOwn: true, query: 'quokka' });
    expect(asAlice.length).toBeGreaterThan(0);
    expect(asAlice.every((hit) => hit.citation.startsWith('Your notebook · Zoo'))).toBe(true);
    expect(asBob.every((hit) => hit.citation.startsWith('Your notebook · Secret'))).toBe(true);
    const stranger = await insertUser(deps.db, 'carol');
    expect(
      await searchMaterial(deps, { userId: stranger, includeOwn: true, query: 'quokka' }),
    ).toEqual([]);
    // Course-only scope leaves even the student's own notebooks out.
    expect(
      await searchMaterial(deps, { userId: alice, includeOwn: false, query: 'quokka' }),
    ).toEqual([]);
  });

  it('keeps unpublished modules out of what students can retrieve', async () => {
    await deps.db.execute(sql`update modules set published = false`);
    try {
      expect(
        await searchMaterial(deps, { userId: alice, includeOwn: false, query: 'return print' }),
      ).toEqual([]);
    } finally {
      await deps.db.execute(sql`update modules set published = true`);
    }
  });

  it('marks only chunks whose text changed for re-embedding', async () => {
    const id = await addPersonal(alice, 'Loops', 'intro to while loops', 'x = 1', 'more text');
    const sourceKey = `personal_notebook:${id}`;
    // Pretend everything was embedded by the current model.
    await deps.db
      .update(retrievalChunks)
      .set({ embeddedAt: new Date(), embeddingModel: 'mock-embed' })
      .where(eq(retrievalChunks.sourceKey, sourceKey));
    expect(await findChunksToEmbed(deps.db, { model: 'mock-embed', sourceKey, limit: 10 })).toEqual(
      [],
    );

    const unchanged = await indexPersonalNotebook(deps, id);
    expect(unchanged).toMatchObject({ written: 0, unchanged: 3, removed: 0 });

    await deps.db
      .update(personalNotebooks)
      .set({ content: notebook('intro to while loops', 'x = 2') })
      .where(eq(personalNotebooks.id, id));
    const changed = await indexPersonalNotebook(deps, id);
    expect(changed).toMatchObject({ written: 1, unchanged: 1, removed: 1 });
    const pending = await findChunksToEmbed(deps.db, { model: 'mock-embed', sourceKey, limit: 10 });
    expect(pending.map((chunk) => chunk.content)).toEqual(['x = 2']);
    // A different model means everything needs new vectors.
    expect(await findChunksToEmbed(deps.db, { model: 'other', sourceKey, limit: 10 })).toHaveLength(
      2,
    );
  });

  it('removes the chunks of a deleted notebook', async () => {
    const id = await addPersonal(bob, 'Temp', 'temporary walrus notes');
    await deps.db.delete(personalNotebooks).where(eq(personalNotebooks.id, id));
    expect(await searchMaterial(deps, { userId: bob, includeOwn: true, query: 'walrus' })).toEqual(
      [],
    );
  });

  it('keeps retrieved material within the token budget', async () => {
    const hits = await searchMaterial(deps, {
      userId: alice,
      includeOwn: false,
      query: 'list loop fruits prices total score',
      limit: 8,
      tokenBudget: 120,
    });
    expect(hits.length).toBeGreaterThan(0);
    const tokens = hits.reduce(
      (sum, hit) => sum + (hit.citation.length + hit.content.length) / 3.5,
      0,
    );
    expect(tokens).toBeLessThanOrEqual(140);
  });

  it('logs a failed background job, tries it again later a few times, then gives up', async () => {
    const attempts: unknown[] = [];
    const logger = {
      ...deps.logger,
      warn: (fields: { attempt?: number }) => attempts.push(fields.attempt),
    } as unknown as RetrievalDeps['logger'];
    const indexer = createRetrievalIndexer({ ...deps, logger }, { retryDelaysMs: [5, 5] });
    indexer.personalNotebookChanged('not-a-uuid'); // fails in SQL, every time
    await expect.poll(() => attempts, { timeout: 5_000 }).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toEqual([1, 2, 3]);
    indexer.stop();
  });

  it('falls back to full-text search when this database has no vector column', async () => {
    const embedder = createEmbedder(createMockEmbeddings({ dimensions: 1024 }), { maxRetries: 0 });
    const withEmbedder = { ...deps, embedder };
    const vectors = await canUseVectors(withEmbedder);
    const hits = await searchMaterial(withEmbedder, {
      userId: alice,
      includeOwn: false,
      query: 'how do I read a csv file',
      limit: 5,
    });
    expect(hits.length).toBeGreaterThan(0);
    if (!vectors) {
      // No pgvector here: search must have used full-text search only, i.e. the same answer.
      const fullText = await searchMaterial(deps, {
        userId: alice,
        includeOwn: false,
        query: 'how do I read a csv file',
        limit: 5,
      });
      expect(hits.map((hit) => hit.id)).toEqual(fullText.map((hit) => hit.id));
    }
  });

  it('reports progress per notebook and what it embedded; a second run embeds nothing', async () => {
    const embedder = createEmbedder(createMockEmbeddings({ dimensions: 1024 }), { maxRetries: 0 });
    const withEmbedder = { ...deps, embedder };
    const model = embedder.provider.model;
    const pending = (await findChunksToEmbed(deps.db, { model, limit: 10_000 })).length;
    const progress: BackfillProgress[] = [];
    const first = await backfillRetrieval(withEmbedder, (step) => progress.push(step));
    const total = progress[0]!.total;
    expect(total).toBeGreaterThanOrEqual(4); // the starter module's notebooks, and students'
    expect(progress.map((step) => step.done)).toEqual(
      Array.from({ length: total }, (_, index) => index + 1),
    );
    // Every pending chunk embedded once where vectors are stored; none where they are not.
    expect(pending).toBeGreaterThan(40);
    expect(first.embedded).toBe((await canUseVectors(withEmbedder)) ? pending : 0);
    expect((await backfillRetrieval(withEmbedder)).embedded).toBe(0);
  });
});

describe('notebook chunking', () => {
  it('skips empty and comment-only code cells and counts cells from 1', () => {
    const drafts = chunkNotebook(notebook('# Title', '# Your code here', '', 'print(1)'), 'M · N');
    expect(drafts.map((draft) => [draft.citation, draft.kind])).toEqual([
      ['M · N · cell 1', 'markdown'],
      ['M · N · cell 4', 'code'],
    ]);
  });
});
