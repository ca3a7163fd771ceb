import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeCohere,
  startFakeVoyage,
  type FakeServer,
} from '../../test/fake-providers/index.js';
import { createCohereEmbeddings } from './cohere.js';
import { mockEmbed } from './mock.js';
import { createEmbedder, type EmbeddingCallRecord } from './registry.js';
import { EmbeddingError, type EmbeddingProvider } from './types.js';
import { createVoyageEmbeddings } from './voyage.js';

const DIMENSIONS = 64;

interface VendorCase {
  name: string;
  start: () => Promise<FakeServer>;
  create: (baseUrl: string) => EmbeddingProvider;
  path: string;
  textsOf: (body: Record<string, unknown>) => unknown;
}

const vendors: VendorCase[] = [
  {
    name: 'Cohere',
    start: () => startFakeCohere(),
    create: (baseUrl) =>
      createCohereEmbeddings({
        apiKey: 'co-test',
        baseUrl,
        model: 'embed-v4.0',
        dimensions: DIMENSIONS,
        timeoutMs: 2_000,
      }),
    path: '/v2/embed',
    textsOf: (body) => body.texts,
  },
  {
    name: 'Voyage',
    start: () => startFakeVoyage(),
    create: (baseUrl) =>
      createVoyageEmbeddings({
        apiKey: 'pa-test',
        baseUrl,
        model: 'voyage-3.5',
        dimensions: DIMENSIONS,
        timeoutMs: 2_000,
      }),
    path: '/v1/embeddings',
    textsOf: (body) => body.input,
  },
];

describe.each(vendors)('$name embeddings through the official SDK', (vendor) => {
  let fake: FakeServer;
  let provider: EmbeddingProvider;
  beforeAll(async () => {
    fake = await vendor.start();
    provider = vendor.create(fake.baseUrl);
  });
  afterAll(async () => fake.close());
  beforeEach(() => fake.reset());

  const embedderWith = (calls: EmbeddingCallRecord[], maxRetries = 2) =>
    createEmbedder(provider, {
      maxRetries,
      sleep: () => Promise.resolve(),
      onCall: (call) => void calls.push(call),
    });

  it('sends the texts, model, input type and dimension, and returns vectors in input order', async () => {
    const result = await provider.embedBatch(['for loops', 'print a list'], 'document', {});
    expect(result.vectors).toEqual([
      mockEmbed('for loops', DIMENSIONS),
      mockEmbed('print a list', DIMENSIONS),
    ]);
    // What the vendor billed: 21 characters of text to embed, about 4 to a token.
    expect(result.inputTokens).toBe(6);
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe(vendor.path);
    expect(call.headers.authorization).toMatch(/^Bearer (co|pa)-test$/);
    expect(vendor.textsOf(call.body as Record<string, unknown>)).toEqual([
      'for loops',
      'print a list',
    ]);
    expect(call.body).toMatchObject({ output_dimension: DIMENSIONS });
    expect(JSON.stringify(call.body)).toMatch(/document/);
  });

  it('retries a 429 with backoff and counts every attempt', async () => {
    fake.enqueue({ error: { status: 429, retryAfter: '0' } });
    const calls: EmbeddingCallRecord[] = [];
    const vectors = await embedderWith(calls).embed(['loops'], 'query');
    expect(vectors).toHaveLength(1);
    expect(fake.calls).toHaveLength(2);
    expect(calls.map((call) => [call.outcome, call.error?.kind])).toEqual([
      ['error', 'rate_limited'],
      ['ok', undefined],
    ]);
    expect(calls[1]!.inputTokens).toBe(2);
  });

  it('retries a 500 and gives up after the retry budget', async () => {
    fake.setDefault({ error: { status: 500 } });
    const calls: EmbeddingCallRecord[] = [];
    const failure = await embedderWith(calls, 1)
      .embed(['loops'], 'document')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EmbeddingError);
    expect((failure as EmbeddingError).kind).toBe('server');
    expect(fake.calls).toHaveLength(2);
  });

  it('does not retry a wrong key', async () => {
    fake.setDefault({ error: { status: 401, message: 'invalid api token' } });
    const failure = await embedderWith([])
      .embed(['loops'], 'document')
      .catch((e: unknown) => e);
    expect((failure as EmbeddingError).kind).toBe('auth');
    expect(fake.calls).toHaveLength(1);
  });

  it('treats vectors of the wrong size as a bad response', async () => {
    fake.setDefault({
      structured:
        vendor.name === 'Cohere'
          ? { id: 'x', embeddings: { float: [[0.1, 0.2]] }, meta: {} }
          : { object: 'list', data: [{ object: 'embedding', embedding: [0.1, 0.2], index: 0 }] },
    });
    const failure = await provider.embedBatch(['loops'], 'document', {}).catch((e: unknown) => e);
    expect((failure as EmbeddingError).kind).toBe('bad_response');
  });

  it('treats a body of the wrong shape as a bad response', async () => {
    fake.setDefault({ structured: { embeddings: 'not vectors', data: 7 } });
    const failure = await provider.embedBatch(['loops'], 'document', {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EmbeddingError);
    expect((failure as EmbeddingError).kind).toBe('bad_response');
  });

  it('splits large inputs into vendor-sized batches', async () => {
    const texts = Array.from({ length: provider.maxBatchSize + 3 }, (_, i) => `text ${i}`);
    const vectors = await embedderWith([]).embed(texts, 'document');
    expect(vectors).toHaveLength(texts.length);
    expect(vectors[texts.length - 1]).toEqual(mockEmbed(texts.at(-1)!, DIMENSIONS));
    expect(fake.calls).toHaveLength(2);
  });
});
