import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPricingTable } from '../../ai/pricing.js';
import { ConfigError, loadConfig } from '../../config/env.js';
import { usageEvents } from '../../db/schema/index.js';
import { startFakeVoyage, type FakeServer } from '../../test/fake-providers/index.js';
import { createRetrievalDeps } from './retrieval.factory.js';
import { createRetrievalTestDatabase } from './retrieval.test-helpers.js';

describe('retrieval wiring from config', () => {
  let setup: Awaited<ReturnType<typeof createRetrievalTestDatabase>>;
  let fake: FakeServer;
  beforeAll(async () => {
    setup = await createRetrievalTestDatabase();
    fake = await startFakeVoyage();
  });
  afterAll(async () => {
    await fake.close();
    await setup.drop();
  });

  const build = (env: Record<string, string>) =>
    createRetrievalDeps({
      ...setup.deps,
      pricing: createPricingTable(),
      embeddings: loadConfig({ NODE_ENV: 'test', ...env }).embeddings,
    });

  it('has no embedder without an embedding key', () => {
    expect(build({}).embedder).toBeUndefined();
  });

  it('stores every embedding call in usage, failed attempts included', async () => {
    const deps = build({ VOYAGE_API_KEY: 'pa-test', VOYAGE_BASE_URL: fake.baseUrl });
    expect(deps.embedder?.provider).toMatchObject({
      name: 'voyage',
      model: 'voyage-3.5',
      dimensions: 1024,
    });
    fake.enqueue(
      { error: { status: 503, retryAfter: '0' } },
      { usage: { inputTokens: 1_000_000 } },
    );
    await deps.embedder!.embed(['a for loop'], 'query');
    const rows = await setup.deps.db
      .select({
        outcome: usageEvents.outcome,
        inputTokens: usageEvents.inputTokens,
        errorKind: usageEvents.errorKind,
        costUsd: usageEvents.costUsd,
      })
      .from(usageEvents)
      .where(eq(usageEvents.purpose, 'embedding'));
    expect(rows).toEqual(
      expect.arrayContaining([
        { outcome: 'error', inputTokens: 0, errorKind: 'overloaded', costUsd: 0 },
        // voyage-3.5 is priced at $0.06 per million input tokens.
        { outcome: 'ok', inputTokens: 1_000_000, errorKind: null, costUsd: 0.06 },
      ]),
    );
  });

  it('refuses a vector size the database column cannot hold', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', EMBEDDING_DIMENSIONS: '768' })).toThrow(
      ConfigError,
    );
  });
});
