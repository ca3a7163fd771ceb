import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVoyage, type FakeServer } from '../../test/fake-providers/index.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { readModuleFolder, seedModule } from '../learning/starter-module.js';
import { STARTER_DIR } from '../retrieval/retrieval.test-helpers.js';
import { findEmbeddingColumnDimensions } from '../retrieval/retrieval.repository.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';
import { notebookExercises } from '../exercises/notebook-exercises.js';

describe('admin: course search status', () => {
  let fake: FakeServer;
  const apps: TestApp[] = [];
  let plain: Awaited<ReturnType<typeof appWith>>;
  let withKey: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    fake = await startFakeVoyage();
    plain = await appWith({});
    withKey = await appWith({ VOYAGE_API_KEY: 'pa-test', VOYAGE_BASE_URL: fake.baseUrl });
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await fake.close();
  });

  async function appWith(env: Record<string, string>) {
    const t = await createTestApp({ ADMIN_EMAIL, ...env });
    apps.push(t);
    const admin: SignedInUser = await registerAdmin(t, {
      email: ADMIN_EMAIL,
      username: `teacher${apps.length}`,
    });
    return { t, admin };
  }

  it('says search is full-text only without an embedding key, and counts indexed passages', async () => {
    const { t, admin } = plain;
    const empty = await asUser(t, admin).get('/api/admin/retrieval').expect(200);
    expect(empty.body.retrieval).toEqual({
      mode: 'full_text',
      reason: 'no_embedding_key',
      embedding: null,
      passages: { course: 0, own: 0, embedded: 0, pending: 0 },
    });

    const student = await registerThroughApi(t.app);
    await asUser(t, student).post('/api/notebooks').send({ title: 'Mine' }).expect(201);
    await t.hintbook.indexer.idle();
    const after = await asUser(t, admin).get('/api/admin/retrieval').expect(200);
    // A blank notebook has nothing to index; the status reads the table, not a cache.
    expect(after.body.retrieval.passages).toEqual({ course: 0, own: 0, embedded: 0, pending: 0 });
  });

  it('reports hybrid search and what is embedded when a key and pgvector are both there', async () => {
    const { t, admin } = withKey;
    await seedModule(
      t.database.db,
      await readModuleFolder(STARTER_DIR),
      () => new Date(),
      notebookExercises,
    );
    t.hintbook.indexer.everythingChanged();
    await t.hintbook.indexer.idle();
    const { body } = await asUser(t, admin).get('/api/admin/retrieval').expect(200);
    const hasVectors = (await findEmbeddingColumnDimensions(t.database.db)) === 1024;
    expect(body.retrieval).toMatchObject({
      mode: hasVectors ? 'hybrid' : 'full_text',
      reason: hasVectors ? null : 'no_pgvector',
      embedding: { provider: 'voyage', model: 'voyage-3.5' },
    });
    const { course, embedded, pending } = body.retrieval.passages;
    expect(course).toBeGreaterThan(40);
    expect([embedded, pending]).toEqual(hasVectors ? [course, 0] : [0, 0]);
  });
});
