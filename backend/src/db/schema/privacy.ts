import { index, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { chatSessions } from './chat.js';
import { users } from './users.js';

/**
 * One row per answer whose calls had something redacted: how many distinct values of each kind
 * were replaced by placeholders before the text left for a provider. Never the values. Like
 * the usage ledger it outlives the conversation (retention) and the account (anonymised).
 */
export const redactionCounts = pgTable(
  'redaction_counts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    sessionId: uuid('session_id').references(() => chatSessions.id, { onDelete: 'set null' }),
    messageId: uuid('message_id'),
    names: integer('names').notNull().default(0),
    emails: integer('emails').notNull().default(0),
    phones: integer('phones').notNull().default(0),
    secrets: integer('secrets').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('redaction_counts_created_idx').on(table.createdAt)],
);
