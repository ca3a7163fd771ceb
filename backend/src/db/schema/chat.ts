import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * One conversation. `pedagogy` holds the session's hint state (levels, current problem) so a
 * reload, reconnect or restart continues where it was; `summary` is the running summary of
 * messages up to `summarizedThroughSeq`, extended incrementally, never rebuilt from scratch.
 */
export const chatSessions = pgTable(
  'chat_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    scope: text('scope', { enum: ['general', 'module_notebook', 'personal_notebook'] })
      .notNull()
      .default('general'),
    notebookId: text('notebook_id'),
    pedagogy: jsonb('pedagogy'),
    summary: text('summary'),
    summarizedThroughSeq: bigint('summarized_through_seq', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
  },
  (table) => [index('chat_sessions_user_idx').on(table.userId, table.updatedAt)],
);

/**
 * Questions and answers. `seq` orders messages (and pages them) without relying on clock
 * ties. An answer being written has status `streaming`; a restart turns leftovers into
 * `interrupted` with whatever text was flushed.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => chatSessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['user', 'assistant'] }).notNull(),
    content: text('content').notNull().default(''),
    status: text('status', { enum: ['streaming', 'complete', 'interrupted', 'error'] })
      .notNull()
      .default('complete'),
    clientMessageId: uuid('client_message_id'),
    /** For an answer: the question it answers. */
    replyToId: uuid('reply_to_id'),
    provider: text('provider'),
    model: text('model'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6, mode: 'number' }),
    hintLevelProgramming: smallint('hint_level_programming'),
    hintLevelMaths: smallint('hint_level_maths'),
    difficultyProgramming: smallint('difficulty_programming'),
    difficultyMaths: smallint('difficulty_maths'),
    hintCue: text('hint_cue'),
    /** For an answer: the course passages the tutor was given, as `MaterialSource[]` citations. */
    sources: jsonb('sources'),
    errorCode: text('error_code'),
    /** Set when edit-and-resend or retry replaced this message; hidden from the history. */
    replacedAt: timestamp('replaced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Refreshed every second while an answer streams; a stale one belongs to a dead process. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    /**
     * For a streaming answer: the process writing it (`answer_owners`). Its answer is only
     * judged orphaned once that process stopped beating too. Null for answers of releases
     * before the owners table: those are judged by `heartbeatAt` alone.
     */
    ownerId: uuid('owner_id'),
  },
  (table) => [
    index('messages_session_seq_idx').on(table.sessionId, table.seq),
    index('messages_user_created_idx').on(table.userId, table.createdAt),
    uniqueIndex('messages_user_client_id_idx')
      .on(table.userId, table.clientMessageId)
      .where(sql`${table.clientMessageId} is not null`),
    // One answer being written per conversation, enforced by the database across replicas.
    uniqueIndex('messages_one_streaming_per_session_idx')
      .on(table.sessionId)
      .where(sql`${table.status} = 'streaming'`),
  ],
);

/**
 * Processes writing answers, each beating its row every second on a connection of its own. A
 * process whose pool is saturated (hundreds of streams) flushes answers late, so their own
 * heartbeats go stale while it is alive and writing; its row here says it is alive. Another
 * replica ends an answer only when both are stale (orphan-sweeper.ts).
 */
export const answerOwners = pgTable('answer_owners', {
  id: uuid('id').primaryKey(),
  beatAt: timestamp('beat_at', { withTimezone: true }).notNull(),
});
