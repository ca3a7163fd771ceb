import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  answerGuardTrips,
  chatSessions,
  exerciseAttempts,
  exercises,
  messages,
  moduleNotebooks,
  modules,
  notebookCopies,
  users,
} from '../../db/schema/index.js';
import { moduleVisibleToUser } from '../roster/group-visibility.query.js';

const exerciseColumns = {
  id: exercises.id,
  moduleNotebookId: exercises.moduleNotebookId,
  gradeId: exercises.gradeId,
  cellId: exercises.cellId,
  position: exercises.position,
  prompt: exercises.prompt,
  starterCode: exercises.starterCode,
  referenceSolution: exercises.referenceSolution,
  visibleTests: exercises.visibleTests,
  hiddenTests: exercises.hiddenTests,
  attemptsBeforeCodeHelp: exercises.attemptsBeforeCodeHelp,
  maxHintLevel: exercises.maxHintLevel,
};
export type ExerciseRow = {
  [K in keyof typeof exerciseColumns]: (typeof exercises.$inferSelect)[K];
};
export type NewExerciseRow = Omit<ExerciseRow, 'id' | 'attemptsBeforeCodeHelp' | 'maxHintLevel'>;

export function findExercisesOfNotebooks(
  db: Db,
  moduleNotebookIds: string[],
): Promise<ExerciseRow[]> {
  if (moduleNotebookIds.length === 0) return Promise.resolve([]);
  return db
    .select(exerciseColumns)
    .from(exercises)
    .where(inArray(exercises.moduleNotebookId, moduleNotebookIds))
    .orderBy(asc(exercises.moduleNotebookId), asc(exercises.position));
}

export async function insertExercise(db: Db, row: NewExerciseRow, now: Date): Promise<void> {
  await db.insert(exercises).values({ ...row, createdAt: now, updatedAt: now });
}

/** Content from the notebook only: the admin's threshold and level stay as they are. */
export async function updateExerciseContent(
  db: Db,
  id: string,
  row: Omit<NewExerciseRow, 'moduleNotebookId' | 'gradeId'>,
  now: Date,
): Promise<void> {
  await db
    .update(exercises)
    .set({ ...row, updatedAt: now })
    .where(eq(exercises.id, id));
}

export async function deleteExercises(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.delete(exercises).where(inArray(exercises.id, ids));
}

export async function updateExerciseSettings(
  db: Db,
  moduleId: string,
  exerciseId: string,
  patch: { attemptsBeforeCodeHelp?: number | undefined; maxHintLevel?: number | undefined },
  now: Date,
): Promise<ExerciseRow | undefined> {
  const [owned] = await db
    .select({ id: exercises.id })
    .from(exercises)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, exercises.moduleNotebookId))
    .where(and(eq(exercises.id, exerciseId), eq(moduleNotebooks.moduleId, moduleId)));
  if (!owned) return undefined;
  const [row] = await db
    .update(exercises)
    .set({ ...patch, updatedAt: now })
    .where(eq(exercises.id, exerciseId))
    .returning(exerciseColumns);
  return row;
}

/** Exercises of a module, in notebook and cell order. */
export function findExercisesOfModule(db: Db, moduleId: string): Promise<ExerciseRow[]> {
  return db
    .select(exerciseColumns)
    .from(exercises)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, exercises.moduleNotebookId))
    .where(eq(moduleNotebooks.moduleId, moduleId))
    .orderBy(asc(moduleNotebooks.position), asc(exercises.position));
}

/** An exercise a viewer may check: its module is visible to them, or the viewer is an admin. */
export async function findVisibleExercise(
  db: Db,
  exerciseId: string,
  viewer: { id: string; isAdmin: boolean },
) {
  const [row] = await db
    .select({ ...exerciseColumns, moduleId: moduleNotebooks.moduleId })
    .from(exercises)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, exercises.moduleNotebookId))
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(
      and(
        eq(exercises.id, exerciseId),
        viewer.isAdmin ? undefined : eq(modules.published, true),
        viewer.isAdmin ? undefined : moduleVisibleToUser(modules.id, viewer.id),
      ),
    );
  return row;
}

/** The exercise at a cell of the caller's copy of a module notebook, with its module. */
export async function findExerciseAtCopyCell(
  db: Db,
  userId: string,
  copyId: string,
  cellId: string,
) {
  const [row] = await db
    .select({ ...exerciseColumns, moduleId: moduleNotebooks.moduleId })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(exercises, eq(exercises.moduleNotebookId, moduleNotebooks.id))
    .where(
      and(
        eq(notebookCopies.id, copyId),
        eq(notebookCopies.userId, userId),
        eq(exercises.cellId, cellId),
      ),
    );
  return row;
}

/** The module a copy belongs to, with its stored AI policy. */
export async function findCopyModulePolicy(db: Db, userId: string, copyId: string) {
  const [row] = await db
    .select({ moduleId: modules.id, aiPolicy: modules.aiPolicy })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(and(eq(notebookCopies.id, copyId), eq(notebookCopies.userId, userId)));
  return row;
}

/**
 * Stored policies of every published module the user can see (an exam window off applies to
 * every chat of the students it is for, not to other groups).
 */
export function findPublishedModulePolicies(db: Db, userId: string) {
  return db
    .select({ moduleId: modules.id, aiPolicy: modules.aiPolicy })
    .from(modules)
    .where(
      and(
        eq(modules.published, true),
        sql`${modules.aiPolicy} is not null`,
        moduleVisibleToUser(modules.id, userId),
      ),
    );
}

/**
 * Stored policies of every published module, whoever may see it: what a per-process cache holds
 * to know, without a read per turn, whether any module's window switches the tutor off now.
 */
export function findAllPublishedModulePolicies(db: Db) {
  return db
    .select({ moduleId: modules.id, aiPolicy: modules.aiPolicy })
    .from(modules)
    .where(and(eq(modules.published, true), sql`${modules.aiPolicy} is not null`));
}

export async function findModulePolicy(db: Db, moduleId: string) {
  const [row] = await db
    .select({ aiPolicy: modules.aiPolicy })
    .from(modules)
    .where(eq(modules.id, moduleId));
  return row;
}

// ---- attempts: insert and read only ----

export type NewAttemptRow = typeof exerciseAttempts.$inferInsert;

export async function insertAttempt(db: Db, row: NewAttemptRow): Promise<string> {
  const [created] = await db
    .insert(exerciseAttempts)
    .values(row)
    .returning({ id: exerciseAttempts.id });
  return created!.id;
}

/** Per exercise: how often the user checked it and whether one check passed. */
export function summariseAttempts(db: Db, userId: string, exerciseIds: string[]) {
  if (exerciseIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      exerciseId: exerciseAttempts.exerciseId,
      checks: sql<number>`count(*)::int`,
      passed: sql<boolean>`bool_or(${exerciseAttempts.outcome} = 'passed')`,
    })
    .from(exerciseAttempts)
    .where(
      and(eq(exerciseAttempts.userId, userId), inArray(exerciseAttempts.exerciseId, exerciseIds)),
    )
    .groupBy(exerciseAttempts.exerciseId);
}

/** The user's checks of one exercise, oldest first (code hash, outcome, time). */
export function findAttemptHistory(db: Db, userId: string, exerciseId: string) {
  return db
    .select({
      codeHash: exerciseAttempts.codeHash,
      outcome: exerciseAttempts.outcome,
      createdAt: exerciseAttempts.createdAt,
    })
    .from(exerciseAttempts)
    .where(and(eq(exerciseAttempts.userId, userId), eq(exerciseAttempts.exerciseId, exerciseId)))
    .orderBy(asc(exerciseAttempts.createdAt), asc(exerciseAttempts.id));
}

/** Every check of a module's exercises (user, exercise, outcome, time), oldest first. */
export function findModuleAttempts(db: Db, moduleId: string) {
  return db
    .select({
      userId: exerciseAttempts.userId,
      username: users.username,
      exerciseId: exerciseAttempts.exerciseId,
      outcome: exerciseAttempts.outcome,
      createdAt: exerciseAttempts.createdAt,
    })
    .from(exerciseAttempts)
    .innerJoin(exercises, eq(exercises.id, exerciseAttempts.exerciseId))
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, exercises.moduleNotebookId))
    .innerJoin(users, eq(users.id, exerciseAttempts.userId))
    .where(eq(moduleNotebooks.moduleId, moduleId))
    .orderBy(asc(exerciseAttempts.createdAt), asc(exerciseAttempts.id));
}

const sessionOnCopy = sql`${notebookCopies.id}::text = ${chatSessions.notebookId}`;

/**
 * Per notebook of a module: the highest programming hint level answered in conversations about
 * a copy of that notebook (chat_sessions.notebook_id holds the copy id as text).
 */
export function findHighestHelpPerNotebook(db: Db, moduleId: string) {
  return db
    .select({
      moduleNotebookId: notebookCopies.moduleNotebookId,
      highestHelpLevel: sql<number | null>`max(${messages.hintLevelProgramming})::int`,
    })
    .from(chatSessions)
    .innerJoin(notebookCopies, sessionOnCopy)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(
      messages,
      and(
        eq(messages.sessionId, chatSessions.id),
        eq(messages.role, 'assistant'),
        eq(messages.status, 'complete'),
      ),
    )
    .where(and(eq(moduleNotebooks.moduleId, moduleId), eq(chatSessions.scope, 'module_notebook')))
    .groupBy(notebookCopies.moduleNotebookId);
}

/** Per notebook of a module: answers the guard rejected in conversations about its copies. */
export function findGuardTripsPerNotebook(db: Db, moduleId: string) {
  return db
    .select({
      moduleNotebookId: notebookCopies.moduleNotebookId,
      guardTrips: sql<number>`count(*)::int`,
    })
    .from(answerGuardTrips)
    .innerJoin(chatSessions, eq(chatSessions.id, answerGuardTrips.sessionId))
    .innerJoin(notebookCopies, sessionOnCopy)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .where(and(eq(moduleNotebooks.moduleId, moduleId), eq(chatSessions.scope, 'module_notebook')))
    .groupBy(notebookCopies.moduleNotebookId);
}

/** When the conversation's last completed answer was given (before this question). */
export async function findLastAnswerTime(db: Db, sessionId: string, beforeSeq: number) {
  const [row] = await db
    .select({ createdAt: messages.createdAt })
    .from(messages)
    .where(
      and(
        eq(messages.sessionId, sessionId),
        eq(messages.role, 'assistant'),
        eq(messages.status, 'complete'),
        sql`${messages.seq} < ${beforeSeq}`,
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(1);
  return row?.createdAt ?? null;
}

/** Every check the student ran, for their data export (code is kept only as a hash). */
export function listAttemptsForUser(db: Db, userId: string) {
  return db
    .select({
      exerciseId: exerciseAttempts.exerciseId,
      outcome: exerciseAttempts.outcome,
      failingTest: exerciseAttempts.failingTest,
      message: exerciseAttempts.message,
      codeHash: exerciseAttempts.codeHash,
      durationMs: exerciseAttempts.durationMs,
      createdAt: exerciseAttempts.createdAt,
    })
    .from(exerciseAttempts)
    .where(eq(exerciseAttempts.userId, userId))
    .orderBy(exerciseAttempts.createdAt);
}
