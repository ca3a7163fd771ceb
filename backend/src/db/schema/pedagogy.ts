import { integer, pgTable, real, smallint, timestamp, uuid } from 'drizzle-orm/pg-core';
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
