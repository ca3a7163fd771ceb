import { createHash } from 'node:crypto';
import type { EmbeddingProvider } from './types.js';

/**
 * Deterministic, offline embeddings for tests, demos and the fake vendor servers: hashed word
 * and character-trigram features, L2-normalised. Texts that share words (or word stems) end up
 * close, which is enough for retrieval tests to mean something — random vectors would not.
 */
export function mockEmbed(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[a-z0-9_]+/g) ?? [];
  const add = (feature: string, weight: number) => {
    const digest = createHash('sha1').update(feature).digest();
    const slot = digest.readUInt32BE(0) % dimensions;
    vector[slot]! += digest[4]! & 1 ? weight : -weight;
  };
  for (const word of words) {
    if (word.length < 2) continue;
    add(`w:${word}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i += 1) add(`t:${padded.slice(i, i + 3)}`, 0.35);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

export function createMockEmbeddings(options: {
  model?: string;
  dimensions: number;
  maxBatchSize?: number;
}): EmbeddingProvider {
  return {
    name: 'mock',
    model: options.model ?? 'mock-embed',
    dimensions: options.dimensions,
    maxBatchSize: options.maxBatchSize ?? 64,
    embedBatch(texts) {
      return Promise.resolve({
        vectors: texts.map((text) => mockEmbed(text, options.dimensions)),
        inputTokens: texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0),
      });
    },
  };
}
