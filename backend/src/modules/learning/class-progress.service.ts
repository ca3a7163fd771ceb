import type {
  ModuleClassProgressResponse,
  ModuleStudentProgressResponse,
} from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import {
  countCopiesByStatus,
  countModuleAudience,
  countNotebookExercises,
  countPassedExercises,
  findAudienceCopies,
  findModuleAudience,
} from './class-progress.repository.js';
import { adminModuleNotFound } from './learning.errors.js';
import { findNotebooksOf } from './module-notebooks.repository.js';
import { findModuleById } from './modules.repository.js';

/** How far the module's class is, notebook by notebook in course order (the admin's view). */
export async function getModuleClassProgress(
  db: Db,
  moduleId: string,
): Promise<ModuleClassProgressResponse> {
  if (!(await findModuleById(db, moduleId))) throw adminModuleNotFound();
  const [students, counted, notebooks] = await Promise.all([
    countModuleAudience(db, moduleId),
    countCopiesByStatus(db, moduleId),
    findNotebooksOf(db, moduleId),
  ]);
  const byNotebook = new Map(counted.map((row) => [row.notebookId, row]));
  return {
    students,
    notebooks: notebooks.map((notebook) => ({
      notebookId: notebook.id,
      inProgress: byNotebook.get(notebook.id)?.inProgress ?? 0,
      completed: byNotebook.get(notebook.id)?.completed ?? 0,
    })),
  };
}

/**
 * Each student the module is for, notebook by notebook in course order: what a teacher copies
 * into a gradebook. A notebook never opened is `not_started` with no date.
 */
export async function getModuleStudentProgress(
  db: Db,
  moduleId: string,
): Promise<ModuleStudentProgressResponse> {
  if (!(await findModuleById(db, moduleId))) throw adminModuleNotFound();
  const [notebooks, students, copies, passed, exerciseCounts] = await Promise.all([
    findNotebooksOf(db, moduleId),
    findModuleAudience(db, moduleId),
    findAudienceCopies(db, moduleId),
    countPassedExercises(db, moduleId),
    countNotebookExercises(db, moduleId),
  ]);
  const key = (userId: string, notebookId: string) => `${userId}:${notebookId}`;
  const copyOf = new Map(copies.map((copy) => [key(copy.userId, copy.notebookId), copy]));
  const passedOf = new Map(passed.map((row) => [key(row.userId, row.notebookId), row.passed]));
  const exercisesOf = new Map(exerciseCounts.map((row) => [row.notebookId, row.exercises]));
  return {
    notebooks: notebooks.map((notebook) => ({
      notebookId: notebook.id,
      title: notebook.title,
      exercises: exercisesOf.get(notebook.id) ?? 0,
    })),
    students: students.map((student) => ({
      ...student,
      notebooks: notebooks.map((notebook) => {
        const copy = copyOf.get(key(student.userId, notebook.id));
        return {
          notebookId: notebook.id,
          status: copy?.status ?? 'not_started',
          exercisesPassed: passedOf.get(key(student.userId, notebook.id)) ?? 0,
          updatedAt: copy ? copy.updatedAt.toISOString() : null,
        };
      }),
    })),
  };
}
