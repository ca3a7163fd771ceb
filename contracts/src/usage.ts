import { z } from 'zod';
import { adminProviderNameSchema, isoDate, limitParam, uuid } from './admin-common.js';

/** `/api/admin/usage` and `/api/admin/provider-errors`: tokens, cost, budget, guard trips, redactions and failed provider calls. */

export const usageGroupBySchema = z.enum(['day', 'week', 'month']);
export const usageBySchema = z.enum(['model', 'provider', 'user']);

export const adminUsageQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  groupBy: usageGroupBySchema.default('day'),
  by: usageBySchema.default('model'),
});
export type AdminUsageQuery = z.input<typeof adminUsageQuerySchema>;

export const usagePointSchema = z.object({
  /** Start of the day, week (Monday) or month, UTC, ISO. */
  period: isoDate,
  /** The model, provider or user id (null for calls of deleted users). */
  key: z.string().nullable(),
  /** For `by=user`: the username, when the user still exists. */
  label: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  calls: z.number().int(),
});
export type UsagePoint = z.infer<typeof usagePointSchema>;

export const budgetStatusSchema = z.object({
  spentUsd: z.number(),
  budgetUsd: z.number(),
  fraction: z.number(),
  /** 80 % or more of the monthly budget: show the banner. */
  isWarning: z.boolean(),
  isExhausted: z.boolean(),
});
export type BudgetStatus = z.infer<typeof budgetStatusSchema>;

export const adminUsageResponseSchema = z.object({
  from: isoDate,
  to: isoDate,
  groupBy: usageGroupBySchema,
  by: usageBySchema,
  series: z.array(usagePointSchema),
  totals: z.object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    calls: z.number().int(),
  }),
  budget: budgetStatusSchema,
});
export type AdminUsageResponse = z.infer<typeof adminUsageResponseSchema>;

export const adminGuardTripsQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AdminGuardTripsQuery = z.input<typeof adminGuardTripsQuerySchema>;

/** Answers the answer guard rejected below code-level help, over a range (default 30 days). */
export const adminGuardTripsResponseSchema = z.object({
  from: isoDate,
  to: isoDate,
  /** Rejected drafts: the model's answers and the stricter regenerations. */
  total: z.number().int(),
  byReason: z.object({ code_lines: z.number().int(), solution_overlap: z.number().int() }),
  /** Answers where the regeneration tripped too, so the student got the fixed question. */
  fallbacks: z.number().int(),
});
export type AdminGuardTripsResponse = z.infer<typeof adminGuardTripsResponseSchema>;

/**
 * Privacy at a glance: what is redacted before text leaves for a provider, how much was over a
 * range (default 30 days; distinct values per answer, summed; never the values), and retention.
 */
export const adminPrivacyResponseSchema = z.object({
  from: isoDate,
  to: isoDate,
  /** Kinds replaced by placeholders; empty when PRIVACY_REDACTION=off. */
  redactionKinds: z.array(z.enum(['name', 'email', 'phone', 'secret'])),
  /** Answers whose calls had anything redacted. */
  answers: z.number().int(),
  redactions: z.object({
    name: z.number().int(),
    email: z.number().int(),
    phone: z.number().int(),
    secret: z.number().int(),
  }),
  /** CHAT_RETENTION_DAYS; null keeps conversations forever. */
  chatRetentionDays: z.number().int().nullable(),
});
export type AdminPrivacyResponse = z.infer<typeof adminPrivacyResponseSchema>;

export const adminBudgetResponseSchema = z.object({ budget: budgetStatusSchema });
export type AdminBudgetResponse = z.infer<typeof adminBudgetResponseSchema>;

// ---------------------------------------------------------------- provider errors

export const providerErrorEntrySchema = z.object({
  id: uuid,
  provider: z.string(),
  model: z.string(),
  purpose: z.string(),
  errorKind: z.string(),
  status: z.number().int().nullable(),
  message: z.string(),
  studentSawError: z.boolean(),
  userId: z.string().nullable(),
  sessionId: z.string().nullable(),
  resolvedAt: isoDate.nullable(),
  resolvedBy: z.string().nullable(),
  createdAt: isoDate,
});
export type ProviderErrorEntry = z.infer<typeof providerErrorEntrySchema>;

export const listProviderErrorsQuerySchema = z.object({
  status: z.enum(['unresolved', 'resolved', 'all']).default('unresolved'),
  provider: adminProviderNameSchema.optional(),
  before: z.string().max(200).optional(),
  limit: limitParam,
});
export type ListProviderErrorsQuery = z.input<typeof listProviderErrorsQuerySchema>;

export const listProviderErrorsResponseSchema = z.object({
  errors: z.array(providerErrorEntrySchema),
  unresolvedCount: z.number().int(),
  nextBefore: z.string().nullable(),
});
export type ListProviderErrorsResponse = z.infer<typeof listProviderErrorsResponseSchema>;

export const providerErrorResponseSchema = z.object({ error: providerErrorEntrySchema });
export type ProviderErrorResponse = z.infer<typeof providerErrorResponseSchema>;
