import {
  index,
  integer,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { chatSessions, messages } from './chat.js';
import { users } from './users.js';

/**
 * The student's effective level per dimension, moved slowly by what they demonstrate. The
 * self-assessed levels it started from are kept, so changing them (and only them, not the
 * username) restarts that dimension from the new self-assessment.
 */
export const userPedagogy = pgTable('user_pedagogy', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  effectiveProgramming: real('effective_programming').notNull(),
  effectiveMaths: real('effective_maths').notNull(),
  baselineProgramming: smallint('baseline_programming').notNull(),
  baselineMaths: smallint('baseline_maths').notNull(),
  problemsObserved: integer('problems_observed').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per answer the guard rejected below code-level help: who, where, at which hint level
 * and why. Attempt 1 is the model's answer, 2 the stricter regeneration. Admins see the counts;
 * the rejected text itself is never stored.
 */
export const answerGuardTrips = pgTable(
  'answer_guard_trips',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => chatSessions.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    hintLevel: smallint('hint_level').notNull(),
    reason: text('reason', { enum: ['code_lines', 'solution_overlap'] }).notNull(),
    attempt: smallint('attempt').notNull(),
    codeLines: integer('code_lines').notNull(),
    overlap: real('overlap').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('answer_guard_trips_created_idx').on(table.createdAt)],
);
