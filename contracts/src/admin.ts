import { z } from 'zod';
import { chatMessageSchema, chatSessionSchema } from './chat.js';
import {
  dataFilePathSchema,
  notebookContentSchema,
  notebookDataFileSchema,
  notebookStatusSchema,
} from './learning.js';

/**
 * The admin API under `/api/admin/*`. Every route answers 401 to anonymous callers and 403 to
 * students. Lists are newest first and paged with an opaque `before` cursor (`nextBefore`).
 */

const isoDate = z.string();
const uuid = z.uuid();
const limitParam = z.coerce.number().int().min(1).max(200).default(50);

export const adminProviderNameSchema = z.enum(['anthropic', 'openai', 'google', 'mock']);
export type AdminProviderName = z.infer<typeof adminProviderNameSchema>;

// ---------------------------------------------------------------- audit log

export const auditEntrySchema = z.object({
  id: uuid,
  actorUserId: z.string().nullable(),
  actorEmail: z.string(),
  /** `module.publish`, `user.disable`, `settings.update`, `transcript.view`, … */
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const listAuditLogQuerySchema = z.object({
  action: z.string().max(100).optional(),
  actorId: uuid.optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(200).optional(),
  before: z.string().max(200).optional(),
  limit: limitParam,
});
export type ListAuditLogQuery = z.input<typeof listAuditLogQuerySchema>;

export const listAuditLogResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.string().nullable(),
});
export type ListAuditLogResponse = z.infer<typeof listAuditLogResponseSchema>;

// ---------------------------------------------------------------- users

/** A per-user override of the token allowances; null means "the installation default". */
export const userAllowanceSchema = z.object({
  dailyTokens: z.number().int().min(0).nullable(),
  weeklyTokens: z.number().int().min(0).nullable(),
});
export type UserAllowance = z.infer<typeof userAllowanceSchema>;

export const adminUserSummarySchema = z.object({
  id: uuid,
  email: z.string(),
  username: z.string(),
  isAdmin: z.boolean(),
  disabledAt: isoDate.nullable(),
  createdAt: isoDate,
  lastLoginAt: isoDate.nullable(),
  /** Last question asked or sign-in, whichever is later. */
  lastActiveAt: isoDate.nullable(),
  tokensThisMonth: z.number().int(),
  costThisMonthUsd: z.number(),
  notebooksStarted: z.number().int(),
  notebooksCompleted: z.number().int(),
  allowance: userAllowanceSchema,
});
export type AdminUserSummary = z.infer<typeof adminUserSummarySchema>;

export const listAdminUsersQuerySchema = z.object({
  /** Matches email or username (case-insensitive substring). */
  q: z.string().trim().max(200).optional(),
  status: z.enum(['all', 'active', 'disabled']).default('all'),
  /** Only users active (question or sign-in) since this instant. */
  activeSince: z.iso.datetime({ offset: true }).optional(),
  /** Only members of this class group (roster). */
  groupId: uuid.optional(),
  sort: z.enum(['last_active', 'usage', 'created', 'email']).default('last_active'),
  limit: limitParam,
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListAdminUsersQuery = z.input<typeof listAdminUsersQuerySchema>;

export const listAdminUsersResponseSchema = z.object({
  users: z.array(adminUserSummarySchema),
  total: z.number().int(),
});
export type ListAdminUsersResponse = z.infer<typeof listAdminUsersResponseSchema>;

export const adminUserProgressSchema = z.object({
  moduleId: uuid,
  moduleTitle: z.string(),
  notebookId: uuid,
  notebookTitle: z.string(),
  status: notebookStatusSchema,
  updatedAt: isoDate,
  /** The original changed since the student's copy was made. */
  originalUpdated: z.boolean(),
});
export type AdminUserProgress = z.infer<typeof adminUserProgressSchema>;

export const adminUsageWindowSchema = z.object({
  tokens: z.number().int(),
  costUsd: z.number(),
  limitTokens: z.number().int().nullable(),
});

export const adminUserDetailResponseSchema = z.object({
  user: adminUserSummarySchema,
  usage: z.object({
    day: adminUsageWindowSchema,
    week: adminUsageWindowSchema,
    month: adminUsageWindowSchema,
  }),
  progress: z.array(adminUserProgressSchema),
  /** Whether transcripts may be opened (ADMIN_CAN_READ_TRANSCRIPTS). */
  canReadTranscripts: z.boolean(),
});
export type AdminUserDetailResponse = z.infer<typeof adminUserDetailResponseSchema>;

export const adminUserResponseSchema = z.object({ user: adminUserSummarySchema });
export type AdminUserResponse = z.infer<typeof adminUserResponseSchema>;

/** `PUT /api/admin/users/:id/allowance`; null resets a window to the default. */
export const setUserAllowanceBodySchema = userAllowanceSchema;
export type SetUserAllowanceBody = z.infer<typeof setUserAllowanceBodySchema>;

export const adminSessionsResponseSchema = z.object({ sessions: z.array(chatSessionSchema) });
export type AdminSessionsResponse = z.infer<typeof adminSessionsResponseSchema>;

export const adminMessagesResponseSchema = z.object({ messages: z.array(chatMessageSchema) });
export type AdminMessagesResponse = z.infer<typeof adminMessagesResponseSchema>;

// ---------------------------------------------------------------- usage and cost

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

// ---------------------------------------------------------------- AI settings

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
 * environment. `limits` may be partial.
 */
export const updateAiSettingsBodySchema = z.object({
  chain: z.array(adminProviderNameSchema).min(1).max(4).nullable().optional(),
  models: z.partialRecord(adminProviderNameSchema, providerModelsSchema).nullable().optional(),
  limits: chatLimitsSettingsSchema.partial().nullable().optional(),
});
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

// ---------------------------------------------------------------- content

export const moduleSlugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'Use lower-case letters, digits and dashes');

export const adminNotebookSchema = z.object({
  id: uuid,
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  position: z.number().int(),
  version: z.number().int(),
  updatedAt: isoDate,
});
export type AdminNotebook = z.infer<typeof adminNotebookSchema>;

export const adminDataFileSchema = z.object({
  id: uuid,
  path: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  /** Null: available to every notebook of the module. */
  notebookId: z.string().nullable(),
});
export type AdminDataFile = z.infer<typeof adminDataFileSchema>;

export const adminModuleSchema = z.object({
  id: uuid,
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  position: z.number().int(),
  published: z.boolean(),
  notebooks: z.array(adminNotebookSchema),
  files: z.array(adminDataFileSchema),
  updatedAt: isoDate,
});
export type AdminModule = z.infer<typeof adminModuleSchema>;

export const listAdminModulesResponseSchema = z.object({ modules: z.array(adminModuleSchema) });
export type ListAdminModulesResponse = z.infer<typeof listAdminModulesResponseSchema>;

export const adminModuleResponseSchema = z.object({ module: adminModuleSchema });
export type AdminModuleResponse = z.infer<typeof adminModuleResponseSchema>;

export const createModuleBodySchema = z.object({
  slug: moduleSlugSchema,
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
});
export type CreateModuleBody = z.input<typeof createModuleBodySchema>;

export const updateModuleBodySchema = z.object({
  slug: moduleSlugSchema.optional(),
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).optional(),
});
export type UpdateModuleBody = z.infer<typeof updateModuleBodySchema>;

/** `PUT /api/admin/modules/order`: every module id, in the new order. */
export const reorderModulesBodySchema = z.object({ moduleIds: z.array(uuid).max(1000) });
export type ReorderModulesBody = z.infer<typeof reorderModulesBodySchema>;

/** `PUT /api/admin/modules/:id/notebooks/order`: every notebook id of the module, in order. */
export const reorderNotebooksBodySchema = z.object({ notebookIds: z.array(uuid).max(1000) });
export type ReorderNotebooksBody = z.infer<typeof reorderNotebooksBodySchema>;

/** `POST /api/admin/modules/:id/notebooks`: a new notebook (content as JSON or as the file text). */
export const uploadModuleNotebookBodySchema = z.object({
  slug: moduleSlugSchema.optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  content: z.union([z.string(), z.record(z.string(), z.unknown())]),
});
export type UploadModuleNotebookBody = z.input<typeof uploadModuleNotebookBodySchema>;

export const updateModuleNotebookBodySchema = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).optional(),
});
export type UpdateModuleNotebookBody = z.infer<typeof updateModuleNotebookBodySchema>;

/** `PUT …/notebooks/:id/content`: replaces the original; students with a copy get a notice. */
export const replaceModuleNotebookBodySchema = z.object({
  content: z.union([z.string(), z.record(z.string(), z.unknown())]),
});
export type ReplaceModuleNotebookBody = z.input<typeof replaceModuleNotebookBodySchema>;

export const adminNotebookResponseSchema = z.object({ notebook: adminNotebookSchema });
export type AdminNotebookResponse = z.infer<typeof adminNotebookResponseSchema>;

/** `POST /api/admin/modules/:id/files`: a data file, base64 in JSON. */
export const uploadDataFileBodySchema = z.object({
  path: dataFilePathSchema,
  mime: z.string().trim().min(1).max(200).default('application/octet-stream'),
  notebookId: uuid.nullable().default(null),
  contentBase64: z.base64(),
});
export type UploadDataFileBody = z.input<typeof uploadDataFileBodySchema>;

export const adminDataFileResponseSchema = z.object({ file: adminDataFileSchema });
export type AdminDataFileResponse = z.infer<typeof adminDataFileResponseSchema>;

/** `GET …/notebooks/:id/preview`: exactly what a student opening it would get. */
export const notebookPreviewResponseSchema = z.object({
  notebook: adminNotebookSchema.extend({ content: notebookContentSchema }),
  files: z.array(notebookDataFileSchema),
});
export type NotebookPreviewResponse = z.infer<typeof notebookPreviewResponseSchema>;

/**
 * `POST /api/admin/modules/import` with an `application/zip` body. The zip holds `.ipynb` files
 * (any folder depth) and optionally a `module.json` ({ slug, title, description }) and data
 * files under `data/`. The query may give `slug` and `title` instead of module.json.
 */
export const importModuleQuerySchema = z.object({
  slug: moduleSlugSchema.optional(),
  title: z.string().trim().min(1).max(200).optional(),
});
export type ImportModuleQuery = z.infer<typeof importModuleQuerySchema>;

export const importModuleResponseSchema = z.object({
  module: adminModuleSchema,
  isNewModule: z.boolean(),
  notebooksCreated: z.number().int(),
  notebooksUpdated: z.number().int(),
  notebooksUnchanged: z.number().int(),
  filesWritten: z.number().int(),
});
export type ImportModuleResponse = z.infer<typeof importModuleResponseSchema>;

// ---------------------------------------------------------------- what students ask

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

// ---------------------------------------------------------------- course search (retrieval)

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

/** `POST /api/admin/users/:id/reset-link`: shown to the admin once, never stored. */
export const resetLinkResponseSchema = z.object({ url: z.string(), expiresAt: z.string() });
export type ResetLinkResponse = z.infer<typeof resetLinkResponseSchema>;
