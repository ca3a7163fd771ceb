import { z } from 'zod';
import { isoDate, uuid } from './admin-common.js';

/**
 * `GET /api/admin/insights/questions`: students' recent questions grouped by similarity.
 * Default range: the 30 days up to now. `moduleId` keeps questions asked in that module's
 * notebooks; without it, every question counts (general chats included).
 */
export const questionInsightsQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    moduleId: uuid.optional(),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) < Date.parse(query.to), {
    message: '`from` must be before `to`',
    path: ['from'],
  });
export type QuestionInsightsQuery = z.input<typeof questionInsightsQuerySchema>;

/** How questions were grouped: by meaning (embedding vectors) or by shared keywords. */
export const questionGroupingMethodSchema = z.enum(['embeddings', 'keywords']);
export type QuestionGroupingMethod = z.infer<typeof questionGroupingMethodSchema>;

/**
 * Why keywords were used: no embedding key is configured, or the embedding service failed
 * (or did not answer in time) for this request.
 */
export const questionGroupingFallbackSchema = z.enum(['not_configured', 'embedding_failed']);
export type QuestionGroupingFallback = z.infer<typeof questionGroupingFallbackSchema>;

/** One question as shown to admins: its text (shortened), when and where, never who. */
export const askedQuestionSchema = z.object({
  text: z.string(),
  askedAt: isoDate,
  /** The module whose notebook the question was asked in; null for general chats. */
  moduleId: z.string().nullable(),
  moduleTitle: z.string().nullable(),
});
export type AskedQuestion = z.infer<typeof askedQuestionSchema>;

export const questionGroupSchema = z.object({
  /** Stable while the group's representative stays the same. */
  id: z.string(),
  /** Questions in the group. */
  size: z.number().int(),
  /** Distinct students who asked them. */
  students: z.number().int(),
  /** The most typical question of the group. */
  representative: askedQuestionSchema,
  /** A few other questions of the group (different wording), most typical first. */
  examples: z.array(askedQuestionSchema),
  /** The words the group's questions share most, most frequent first. */
  keywords: z.array(z.string()),
  /** Modules the questions were asked in, most questions first. */
  modules: z.array(z.object({ id: z.string(), title: z.string(), questions: z.number().int() })),
  lastAskedAt: isoDate,
});
export type QuestionGroup = z.infer<typeof questionGroupSchema>;

export const questionInsightsResponseSchema = z.object({
  from: isoDate,
  to: isoDate,
  module: z.object({ id: z.string(), title: z.string() }).nullable(),
  method: questionGroupingMethodSchema,
  /** Null when grouped by embeddings. */
  fallback: questionGroupingFallbackSchema.nullable(),
  /** The embedding model, when grouped by embeddings. */
  embeddingModel: z.string().nullable(),
  /** Students' questions in the range and scope. */
  questionsInRange: z.number().int(),
  /** The most recent of them that were grouped (at most `maxQuestions`). */
  questionsConsidered: z.number().int(),
  maxQuestions: z.number().int(),
  /** Questions in a group of two or more. */
  questionsGrouped: z.number().int(),
  /** Groups of two or more questions, largest first (at most 50). */
  groups: z.array(questionGroupSchema),
});
export type QuestionInsightsResponse = z.infer<typeof questionInsightsResponseSchema>;
