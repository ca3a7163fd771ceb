import type { ExerciseStatus } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { findExercisesOfNotebooks, summariseAttempts } from './exercises.repository.js';

/** Per module notebook: its exercises and how many of them the user passed a check of. */
export async function exerciseProgressOf(
  db: Db,
  userId: string,
  moduleNotebookIds: string[],
): Promise<Map<string, { total: number; passed: number }>> {
  const exercises = await findExercisesOfNotebooks(db, moduleNotebookIds);
  const summaries = await summariseAttempts(
    db,
    userId,
    exercises.map((exercise) => exercise.id),
  );
  const passed = new Set(summaries.filter((row) => row.passed).map((row) => row.exerciseId));
  const progress = new Map<string, { total: number; passed: number }>();
  for (const exercise of exercises) {
    const entry = progress.get(exercise.moduleNotebookId) ?? { total: 0, passed: 0 };
    entry.total += 1;
    if (passed.has(exercise.id)) entry.passed += 1;
    progress.set(exercise.moduleNotebookId, entry);
  }
  return progress;
}

/** An exercise is done once one of its checks passed; checks that failed since do not undo it. */
export function exerciseStatus(
  summary: { checks: number; passed: boolean } | undefined,
): ExerciseStatus {
  if (!summary || summary.checks === 0) return 'not_tried';
  return summary.passed ? 'passed' : 'tried';
}
