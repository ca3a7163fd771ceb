import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { moduleNotebooks } from './learning.js';
import { users } from './users.js';

/**
 * An exercise: a code cell of a module notebook, read from the teacher's notebook (nbgrader
 * format) when it is stored. The reference solution and hidden tests live only here; the
 * notebook's stored content is the student's version. Admins set the threshold and level.
 */
export const exercises = pgTable(
  'exercises',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    moduleNotebookId: uuid('module_notebook_id')
      .notNull()
      .references(() => moduleNotebooks.id, { onDelete: 'cascade' }),
    /** nbgrader `grade_id` (else the cell id): what a re-import matches on. */
    gradeId: text('grade_id').notNull(),
    /** The cell's nbformat id in the student's copy: how the workspace names it. */
    cellId: text('cell_id').notNull(),
    position: integer('position').notNull(),
    prompt: text('prompt').notNull().default(''),
    starterCode: text('starter_code').notNull().default(''),
    referenceSolution: text('reference_solution'),
    visibleTests: text('visible_tests').notNull().default(''),
    hiddenTests: text('hidden_tests'),
    /** Failed checks (with changes between them) before code-level help. */
    attemptsBeforeCodeHelp: smallint('attempts_before_code_help').notNull().default(3),
    maxHintLevel: smallint('max_hint_level').notNull().default(5),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('exercises_notebook_grade_idx').on(table.moduleNotebookId, table.gradeId),
    check('exercises_max_hint_level', sql`${table.maxHintLevel} between 1 and 5`),
    check('exercises_attempts', sql`${table.attemptsBeforeCodeHelp} between 0 and 20`),
  ],
);

/**
 * Every check a student ran, append-only (nothing updates or deletes a row but the cascade of a
 * deleted user or exercise). The code itself is not kept, only its hash: enough to tell a new
 * attempt from the same code checked again.
 */
export const exerciseAttempts = pgTable(
  'exercise_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => exercises.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    outcome: text('outcome', { enum: ['passed', 'failed', 'error', 'timeout'] }).notNull(),
    failingTest: text('failing_test'),
    message: text('message'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('exercise_attempts_user_exercise_idx').on(
      table.userId,
      table.exerciseId,
      table.createdAt,
    ),
    index('exercise_attempts_exercise_idx').on(table.exerciseId, table.createdAt),
  ],
);
