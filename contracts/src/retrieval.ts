import { z } from 'zod';

/**
 * `GET /api/admin/retrieval`: how the tutor finds course material right now, and how much of it
 * is indexed. `mode` is `hybrid` (full-text + meaning) or `full_text` with the reason.
 */
export const retrievalStatusSchema = z.object({
  mode: z.enum(['hybrid', 'full_text']),
  /** Why search is full-text only; null in hybrid mode. */
  reason: z.enum(['no_embedding_key', 'no_pgvector', 'dimension_mismatch']).nullable(),
  embedding: z.object({ provider: z.string(), model: z.string() }).nullable(),
  passages: z.object({
    /** Passages of module notebooks and data files. */
    course: z.number().int(),
    /** Passages of students' own notebooks. */
    own: z.number().int(),
    /** Passages with a vector from the current model. */
    embedded: z.number().int(),
    /** Passages still waiting for one (hybrid mode only; the next sync embeds them). */
    pending: z.number().int(),
  }),
});
export type RetrievalStatus = z.infer<typeof retrievalStatusSchema>;
export const retrievalStatusResponseSchema = z.object({ retrieval: retrievalStatusSchema });
export type RetrievalStatusResponse = z.infer<typeof retrievalStatusResponseSchema>;
