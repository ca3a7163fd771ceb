import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { chatSessions } from './chat.js';
import { users } from './users.js';

/**
 * Every admin action: who did what to which item and when. The actor's email is kept so the
 * trail survives deleting the admin's account (the id is then set null).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorEmail: text('actor_email').notNull(),
    /** `module.publish`, `user.disable`, `settings.update`, `transcript.view`, … */
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('audit_log_created_idx').on(table.createdAt, table.id),
    index('audit_log_action_idx').on(table.action, table.createdAt),
    index('audit_log_actor_idx').on(table.actorUserId, table.createdAt),
  ],
);

/**
 * Runtime settings an admin changed in the panel (`ai.chain`, `ai.models`, `chat.limits`).
 * A missing key means "the environment's value".
 */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A per-user override of the token allowances; a null window uses the installation default. */
export const userAllowances = pgTable('user_allowances', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  dailyTokens: integer('daily_tokens'),
  weeklyTokens: integer('weekly_tokens'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Provider failures worth an admin's look: one row per failed or interrupted vendor call. The
 * message is short and never holds request bodies or keys.
 */
export const providerErrors = pgTable(
  'provider_errors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    purpose: text('purpose').notNull(),
    errorKind: text('error_kind').notNull(),
    status: integer('status'),
    message: text('message').notNull().default(''),
    /** The turn ended with chat:error, so the student saw it. */
    studentSawError: boolean('student_saw_error').notNull().default(false),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    sessionId: uuid('session_id').references(() => chatSessions.id, { onDelete: 'set null' }),
    messageId: uuid('message_id'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('provider_errors_created_idx').on(table.createdAt, table.id),
    index('provider_errors_message_idx').on(table.messageId),
  ],
);
