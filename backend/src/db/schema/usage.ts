import {
  bigint,
  boolean,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { chatSessions } from './chat.js';
import { users } from './users.js';

/**
 * One row per call to an AI provider: answers, classifications, summaries, failed and
 * interrupted attempts alike. Allowances and the installation budget count this table (through
 * its running totals below), so restarts and replicas agree. Deleting a user anonymises their rows instead of removing
 * them, because the money was spent either way.
 */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    sessionId: uuid('session_id').references(() => chatSessions.id, { onDelete: 'set null' }),
    messageId: uuid('message_id'),
    purpose: text('purpose', {
      enum: ['answer', 'classification', 'summary', 'provider_test', 'embedding'],
    }).notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    /**
     * True when the vendor sent no (or only a partial) count before the call ended (stopped,
     * timed out, cut off): input estimated from the request, output from the text received.
     */
    isEstimate: boolean('is_estimate').notNull().default(false),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6, mode: 'number' }).notNull().default(0),
    outcome: text('outcome', { enum: ['ok', 'error', 'interrupted', 'aborted'] }).notNull(),
    errorKind: text('error_kind'),
    durationMs: integer('duration_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('usage_events_user_created_idx').on(table.userId, table.createdAt),
    index('usage_events_created_idx').on(table.createdAt),
  ],
);

/**
 * Tokens and money held for a running turn, so concurrent turns cannot together overspend an
 * allowance or the budget: limits count usage_events plus the live reservations. A turn deletes
 * its row when it ends (its calls are in usage_events by then); `expires_at` frees the hold of a
 * process that died mid-turn.
 */
export const usageReservations = pgTable(
  'usage_reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokens: integer('tokens').notNull(),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6, mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('usage_reservations_user_idx').on(table.userId, table.expiresAt)],
);

/**
 * Running totals of usage_events, kept by a trigger on it (migrations/0020, so a replica still
 * on the previous release during a rolling upgrade keeps them too): a reservation reads a
 * student's day and week and the installation's month here, one row each, instead of summing
 * the month's events under the installation-wide reservation lock. Windows are calendar-based in UTC, as in quota.service.ts.
 */
export const usageUserTotals = pgTable(
  'usage_user_totals',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    period: text('period', { enum: ['day', 'week'] }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
    costUsd: numeric('cost_usd', { precision: 16, scale: 6, mode: 'number' }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.userId, table.period, table.startsAt] })],
);

/** The installation's spending per calendar month (UTC), every user's and none's alike. */
export const usageMonthlyTotals = pgTable('usage_monthly_totals', {
  month: timestamp('month', { withTimezone: true }).primaryKey(),
  tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
  costUsd: numeric('cost_usd', { precision: 16, scale: 6, mode: 'number' }).notNull().default(0),
});
