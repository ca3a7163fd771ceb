import type { NotebookExercises } from '../learning/learning.types.js';
import { prepareForStorage, storeNotebookExercises } from './exercise-content.js';
import { exerciseProgressOf } from './exercise-progress.js';

/**
 * Exercises' side of learning's module notebooks: learning declares what it needs
 * (learning.types.ts) and app.ts, main.ts and tests hand this in, so learning never imports
 * exercises, which reads learning.
 */
export const notebookExercises: NotebookExercises = {
  prepare(content, where) {
    const prepared = prepareForStorage(content, where);
    return {
      studentContent: prepared.studentContent,
      storeExercises: (tx, moduleNotebookId, now) =>
        storeNotebookExercises(tx, moduleNotebookId, prepared, now),
    };
  },
  progressOf: exerciseProgressOf,
};
