import type { NotebookContent } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { exerciseMarkersInvalid } from './exercises.errors.js';
import {
  deleteExercises,
  findExercisesOfNotebooks,
  insertExercise,
  updateExerciseContent,
} from './exercises.repository.js';
import { MarkerError, prepareNotebook, type PreparedNotebook } from './nbgrader.js';

/**
 * Every way a module notebook is stored (admin upload or replace, zip import, the starter seed)
 * goes through here: the stored content is the student's version, so copies, resets, previews,
 * downloads and course search can never carry a solution or hidden tests.
 */
export function prepareForStorage(content: NotebookContent, where = ''): PreparedNotebook {
  try {
    return prepareNotebook(content);
  } catch (error) {
    if (error instanceof MarkerError) {
      throw exerciseMarkersInvalid([
        { path: `${where}${where ? ' ' : ''}cells.${error.cellIndex}`, message: error.message },
      ]);
    }
    throw error;
  }
}

/**
 * Makes the notebook's exercises match what was just stored, matched by grade id: new ones are
 * added, gone ones removed (with their checks), the rest updated, keeping the admin's threshold
 * and level. A notebook stored without solutions (the student's version uploaded back) keeps the
 * reference solution and hidden tests it had, rather than losing them.
 */
export async function storeNotebookExercises(
  db: Db,
  moduleNotebookId: string,
  prepared: PreparedNotebook,
  now: Date,
): Promise<void> {
  const existing = new Map(
    (await findExercisesOfNotebooks(db, [moduleNotebookId])).map((row) => [row.gradeId, row]),
  );
  for (const parsed of prepared.exercises) {
    const current = existing.get(parsed.gradeId);
    if (!current) {
      await insertExercise(db, { ...parsed, moduleNotebookId }, now);
      continue;
    }
    existing.delete(parsed.gradeId);
    await updateExerciseContent(
      db,
      current.id,
      {
        cellId: parsed.cellId,
        position: parsed.position,
        prompt: parsed.prompt,
        starterCode: parsed.starterCode,
        visibleTests: parsed.visibleTests,
        referenceSolution: parsed.referenceSolution ?? current.referenceSolution,
        hiddenTests: parsed.hiddenTests ?? current.hiddenTests,
      },
      now,
    );
  }
  await deleteExercises(
    db,
    [...existing.values()].map((row) => row.id),
  );
}
