import { z } from 'zod';

// Shapes the admin endpoints of every domain share. Every `/api/admin/*` route answers 401 to
// anonymous callers and 403 to students. Lists are newest first and paged with an opaque
// `before` cursor (`nextBefore`).

export const isoDate = z.string();
export const uuid = z.uuid();
/** `limit` of a paged admin list. */
export const limitParam = z.coerce.number().int().min(1).max(200).default(50);

/** The AI vendors an admin can choose and filter by. */
export const adminProviderNameSchema = z.enum(['anthropic', 'openai', 'google', 'mock']);
export type AdminProviderName = z.infer<typeof adminProviderNameSchema>;
