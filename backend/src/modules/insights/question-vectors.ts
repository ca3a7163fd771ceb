import { createHash } from 'node:crypto';
import type { Embedder } from '../../ai/embeddings/registry.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { upsertQuestionEmbeddings } from './question-insights.repository.js';

/** Longer questions (pasted code, tracebacks) are embedded by their start. */
const EMBEDDED_TEXT_MAX_CHARS = 2_000;

export interface QuestionToEmbed {
  messageId: string;
  content: string;
  cachedHash: string | null;
  cachedVector: number[] | null;
}

export function embeddedTextOf(content: string): string {
  return content.trim().slice(0, EMBEDDED_TEXT_MAX_CHARS);
}

export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * One vector per question, in order. A cached vector is reused while its text hash and size
 * still match (the join already limited it to the current model); the rest are embedded as
 * queries — they are questions, the same kind of text retrieval embeds as queries — one
 * vendor batch at a time, each batch stored as soon as it arrives, so a failure half-way
 * keeps what was paid for. Throws EmbeddingError (or the signal's reason) on failure.
 */
export async function loadQuestionVectors(
  deps: { db: Db; clock: Clock; embedder: Embedder; redact?: (text: string) => string },
  questions: readonly QuestionToEmbed[],
  signal: AbortSignal,
): Promise<{ vectors: number[][]; embeddedNow: number }> {
  const { provider } = deps.embedder;
  const vectors: Array<number[] | undefined> = [];
  const missing: Array<{ position: number; messageId: string; text: string; hash: string }> = [];
  questions.forEach((question, position) => {
    const text = (deps.redact ?? ((raw: string) => raw))(embeddedTextOf(question.content));
    const hash = hashOf(text);
    const cached = question.cachedVector;
    if (cached && question.cachedHash === hash && cached.length === provider.dimensions) {
      vectors.push(cached);
    } else {
      vectors.push(undefined);
      missing.push({ position, messageId: question.messageId, text, hash });
    }
  });

  for (let start = 0; start < missing.length; start += provider.maxBatchSize) {
    const batch = missing.slice(start, start + provider.maxBatchSize);
    const embedded = await deps.embedder.embed(
      batch.map((item) => item.text),
      'query',
      signal,
    );
    batch.forEach((item, i) => (vectors[item.position] = embedded[i]));
    await upsertQuestionEmbeddings(
      deps.db,
      batch.map((item, i) => ({
        messageId: item.messageId,
        model: provider.model,
        contentHash: item.hash,
        vector: embedded[i]!,
      })),
      deps.clock(),
    );
  }
  return { vectors: vectors as number[][], embeddedNow: missing.length };
}
