import { pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { messages } from './chat.js';

/**
 * Vectors of students' questions, kept so the "What students ask" page embeds each question
 * once instead of on every view. A plain `real[]`, not pgvector: the grouping happens in the
 * backend, so it works on every Postgres. A row is reused only while `model` and
 * `content_hash` (sha256 of the embedded text) still match.
 */
export const questionEmbeddings = pgTable('question_embeddings', {
  messageId: uuid('message_id')
    .primaryKey()
    .references(() => messages.id, { onDelete: 'cascade' }),
  model: text('model').notNull(),
  contentHash: text('content_hash').notNull(),
  vector: real('vector').array().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
