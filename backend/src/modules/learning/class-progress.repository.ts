import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  classGroupMembers,
  classGroups,
  exerciseAttempts,
  exercises,
  moduleNotebooks,
  notebookCopies,
  users,
} from '../../db/schema/index.js';
import { moduleVisibleToUser } from '../roster/group-visibility.query.js';

/** Who a module is for: active student accounts (not admins) that may see it. */
function audienceOf(moduleId: string) {
  return and(
    isNull(users.disabledAt),
    eq(users.isAdmin, false),
    moduleVisibleToUser(sql`${moduleId}::uuid`, users.id),
  );
}

export async function countModuleAudience(db: Db, moduleId: string): Promise<number> {
  const [row] = await db
    .select({ students: sql<number>`count(*)::int` })
    .from(users)
    .where(audienceOf(moduleId));
  return Number(row?.students ?? 0);
}

/** Per notebook of the module: the audience's copies in progress and completed. */
export function countCopiesByStatus(db: Db, moduleId: string) {
  return db
    .select({
      notebookId: moduleNotebooks.id,
      inProgress: sql<number>`count(*) filter (where ${notebookCopies.status} = 'in_progress')::int`,
      completed: sql<number>`count(*) filter (where ${notebookCopies.status} = 'completed')::int`,
    })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(users, eq(users.id, notebookCopies.userId))
    .where(and(eq(moduleNotebooks.moduleId, moduleId), audienceOf(moduleId)))
    .groupBy(moduleNotebooks.id);
}

/** The students the module is for, by username, with the names of their groups. */
export async function findModuleAudience(db: Db, moduleId: string) {
  const students = await db
    .select({ userId: users.id, username: users.username, email: users.email })
    .from(users)
    .where(audienceOf(moduleId))
    .orderBy(asc(users.username), asc(users.id));
  const ids = students.map((student) => student.userId);
  const memberships =
    ids.length === 0
      ? []
      : await db
          .select({ userId: classGroupMembers.userId, name: classGroups.name })
          .from(classGroupMembers)
          .innerJoin(classGroups, eq(classGroups.id, classGroupMembers.groupId))
          .where(inArray(classGroupMembers.userId, ids))
          .orderBy(asc(classGroups.name));
  return students.map((student) => ({
    ...student,
    groups: memberships.filter((row) => row.userId === student.userId).map((row) => row.name),
  }));
}

/** The audience's copies of the module's notebooks: status and last change. */
export function findAudienceCopies(db: Db, moduleId: string) {
  return db
    .select({
      userId: notebookCopies.userId,
      notebookId: notebookCopies.moduleNotebookId,
      status: notebookCopies.status,
      updatedAt: notebookCopies.updatedAt,
    })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(users, eq(users.id, notebookCopies.userId))
    .where(and(eq(moduleNotebooks.moduleId, moduleId), audienceOf(moduleId)));
}

/** Per student and notebook: the exercises with at least one passed check. */
export function countPassedExercises(db: Db, moduleId: string) {
  return db
    .select({
      userId: exerciseAttempts.userId,
      notebookId: exercises.moduleNotebookId,
      passed: sql<number>`count(distinct ${exerciseAttempts.exerciseId})::int`,
    })
    .from(exerciseAttempts)
    .innerJoin(exercises, eq(exercises.id, exerciseAttempts.exerciseId))
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, exercises.moduleNotebookId))
    .where(and(eq(moduleNotebooks.moduleId, moduleId), eq(exerciseAttempts.outcome, 'passed')))
    .groupBy(exerciseAttempts.userId, exercises.moduleNotebookId);
}

/** Per notebook of the module: how many exercises it has. */
export function countNotebookExercises(db: Db, moduleId: string) {
  return db
    .select({
      notebookId: exercises.moduleNotebookId,
      exercises: sql<number>`count(*)::int`,
    })
    .from(exercises)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, exercises.moduleNotebookId))
    .where(eq(moduleNotebooks.moduleId, moduleId))
    .groupBy(exercises.moduleNotebookId);
}
