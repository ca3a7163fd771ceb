import { z } from 'zod';

/** Longest question a student may send (characters); the server setting may be lower. */
export const MESSAGE_MAX_LENGTH_CAP = 20_000;

export const chatScopeSchema = z.enum(['general', 'module_notebook', 'personal_notebook']);
export type ChatScope = z.infer<typeof chatScopeSchema>;

export const messageStatusSchema = z.enum(['streaming', 'complete', 'interrupted', 'error']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** A plain-words cue of how much help an answer gives; students never see level numbers. */
export const hintCueSchema = z.string();

export const chatSessionSchema = z.object({
  id: z.string(),
  title: z.string(),
  scope: chatScopeSchema,
  /** The notebook a workspace chat belongs to (null for general chats). */
  notebookId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastMessageAt: z.string().nullable(),
});
export type ChatSession = z.infer<typeof chatSessionSchema>;

/**
 * A passage of course material (or of the student's own notebook) the tutor was given for an
 * answer, cited briefly under it: "Getting started · 2. Lists and loops · cell 4".
 */
export const materialSourceSchema = z.object({
  citation: z.string(),
  /** `course`: a module's notebook or data file; `own`: one of the student's notebooks. */
  origin: z.enum(['course', 'own']),
  moduleId: z.string().nullable(),
  /** The module notebook (`course`) or personal notebook (`own`) it came from; null for files. */
  notebookId: z.string().nullable(),
  /** 0-based cell of the notebook it came from; null for data files. */
  cellIndex: z.number().int().nullable(),
});
export type MaterialSource = z.infer<typeof materialSourceSchema>;

export const chatMessageSchema = z.object({
  /** For an answer, also the `turnId` of the turn that writes it (use it with `chat:resume`). */
  id: z.string(),
  sessionId: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  status: messageStatusSchema,
  clientMessageId: z.string().nullable(),
  hintCue: z.string().nullable(),
  /** For an answer: what course material it drew on (empty when none was found). */
  sources: z.array(materialSourceSchema),
  /** Set on status=error: a stable code such as `ai.provider_unavailable`. */
  errorCode: z.string().nullable(),
  createdAt: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const listSessionsResponseSchema = z.object({ sessions: z.array(chatSessionSchema) });
export type ListSessionsResponse = z.infer<typeof listSessionsResponseSchema>;

/** `GET /api/chat/sessions`: optional filters. */
export const listSessionsQuerySchema = z.object({
  q: z.string().max(200).optional(),
  scope: chatScopeSchema.optional(),
  /** Sessions of one workspace notebook (a module copy id or a personal notebook id). */
  notebookId: z.uuid().optional(),
});
export type ListSessionsQuery = z.infer<typeof listSessionsQuerySchema>;

export const createSessionBodySchema = z.object({
  title: z.string().trim().min(1).max(120).optional(),
});
export type CreateSessionBody = z.infer<typeof createSessionBodySchema>;

export const renameSessionBodySchema = z.object({ title: z.string().trim().min(1).max(120) });
export type RenameSessionBody = z.infer<typeof renameSessionBodySchema>;

export const sessionResponseSchema = z.object({ session: chatSessionSchema });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** Oldest first within a page; `before` pages further back in time. */
export const listMessagesQuerySchema = z.object({
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

export const listMessagesResponseSchema = z.object({
  messages: z.array(chatMessageSchema),
  /** Pass as `before` to load older messages; null when there are none. */
  nextCursor: z.string().nullable(),
});
export type ListMessagesResponse = z.infer<typeof listMessagesResponseSchema>;

const allowanceWindowSchema = z.object({
  usedTokens: z.number().int(),
  limitTokens: z.number().int().nullable(),
  resetsAt: z.string(),
});

/** `GET /api/me/usage`: what the student has used and has left. */
export const myUsageResponseSchema = z.object({
  day: allowanceWindowSchema,
  week: allowanceWindowSchema,
  turnsPerMinute: z.number().int().nullable(),
  /** The longest question the tutor takes (characters; admins change it): the box counts to it. */
  messageMaxLength: z.number().int().positive(),
  /** True when the installation's monthly budget is spent: no new turns for anyone. */
  installationPaused: z.boolean(),
  tutorAvailable: z.boolean(),
});
export type MyUsageResponse = z.infer<typeof myUsageResponseSchema>;
