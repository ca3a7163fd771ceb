import { z } from 'zod';
import { chatMessageSchema, chatSessionSchema } from './chat.js';
import { notebookStatusSchema } from './learning.js';
import { isoDate, uuid, limitParam } from './admin-common.js';

/** `/api/admin/users`: people, their progress, usage, allowances and transcripts. */

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
  /** The notebook's exercises and how many of them the student passed a check of. */
  exercises: z.object({ total: z.number().int().min(0), passed: z.number().int().min(0) }),
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
export const setUserAllowanceBodySchema = userAllowanceSchema.strict();
export type SetUserAllowanceBody = z.infer<typeof setUserAllowanceBodySchema>;

export const adminSessionsResponseSchema = z.object({ sessions: z.array(chatSessionSchema) });
export type AdminSessionsResponse = z.infer<typeof adminSessionsResponseSchema>;

export const adminMessagesResponseSchema = z.object({ messages: z.array(chatMessageSchema) });
export type AdminMessagesResponse = z.infer<typeof adminMessagesResponseSchema>;

/** `POST /api/admin/users/:id/reset-link`: shown to the admin once, never stored. */
export const resetLinkResponseSchema = z.object({ url: z.string(), expiresAt: z.string() });
export type ResetLinkResponse = z.infer<typeof resetLinkResponseSchema>;
