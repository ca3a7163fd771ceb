import { z } from 'zod';
import { adminProviderNameSchema, isoDate } from './admin-common.js';

/** `/api/admin/settings`: the AI chain, models and limits an admin sets over the environment. */

export const chatLimitsSettingsSchema = z.object({
  turnsPerMinute: z.number().int().min(1).max(1000),
  dailyTokens: z.number().int().min(0),
  weeklyTokens: z.number().int().min(0),
  monthlyBudgetUsd: z.number().min(0),
  messageMaxLength: z.number().int().min(100).max(20_000),
});
export type ChatLimitsSettings = z.infer<typeof chatLimitsSettingsSchema>;

export const providerModelsSchema = z.object({
  model: z.string().trim().min(1).max(200),
  smallModel: z.string().trim().min(1).max(200),
});
export type ProviderModels = z.infer<typeof providerModelsSchema>;

export const aiSettingsSchema = z.object({
  /** Primary provider first, then the fallbacks. */
  chain: z.array(adminProviderNameSchema),
  models: z.partialRecord(adminProviderNameSchema, providerModelsSchema),
  limits: chatLimitsSettingsSchema,
});
export type AiSettings = z.infer<typeof aiSettingsSchema>;

export const providerStatusSchema = z.object({
  provider: adminProviderNameSchema,
  /** Has a key (or base URL), so it may be put in the chain. */
  isAvailable: z.boolean(),
  isInChain: z.boolean(),
  circuit: z.enum(['closed', 'open', 'half_open']),
  /** From usage over the last hour. */
  recentCalls: z.number().int(),
  recentErrors: z.number().int(),
  lastErrorKind: z.string().nullable(),
  lastErrorAt: isoDate.nullable(),
  lastSuccessAt: isoDate.nullable(),
});
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

export const aiSettingsResponseSchema = z.object({
  /** What is in effect: database overrides over the environment. */
  settings: aiSettingsSchema,
  /** The environment's values, used for anything not overridden. */
  defaults: aiSettingsSchema,
  /** Which parts are overridden in the database. */
  overridden: z.object({ chain: z.boolean(), models: z.boolean(), limits: z.boolean() }),
  providers: z.array(providerStatusSchema),
  updatedAt: isoDate.nullable(),
});
export type AiSettingsResponse = z.infer<typeof aiSettingsResponseSchema>;

/**
 * `PUT /api/admin/settings`: each part optional; `null` drops the override and goes back to the
 * environment. `limits` may be partial. A key it does not know is refused, not ignored: a
 * misspelt setting must not look saved.
 */
export const updateAiSettingsBodySchema = z
  .strictObject({
    chain: z.array(adminProviderNameSchema).min(1).max(4).nullable().optional(),
    models: z.partialRecord(adminProviderNameSchema, providerModelsSchema).nullable().optional(),
    limits: chatLimitsSettingsSchema.partial().strict().nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to update' });
export type UpdateAiSettingsBody = z.infer<typeof updateAiSettingsBodySchema>;

export const providerTestResponseSchema = z.object({
  ok: z.boolean(),
  provider: adminProviderNameSchema,
  model: z.string(),
  latencyMs: z.number(),
  /** The provider error kind (`auth`, `timeout`, …) when it failed. */
  error: z.string().optional(),
});
export type ProviderTestResponse = z.infer<typeof providerTestResponseSchema>;
