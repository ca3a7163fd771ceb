import type { NotebookContent } from '@hintbook/contracts';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';

/**
 * Told of every change to course content, after the response and never blocking: the tutor's
 * retrieval index (retrieval-indexer.ts) implements it. Declared here so learning does not
 * depend on retrieval; app.ts hands the indexer in.
 */
export interface ContentChanges {
  moduleChanged(moduleId: string): void;
  moduleNotebookChanged(notebookId: string): void;
  personalNotebookChanged(notebookId: string): void;
}

/**
 * Exercises live inside module notebooks but are their own domain, and exercises reads learning
 * (visibility, copies, the AI policy); so learning declares what it needs of them and app.ts
 * hands exercises' implementation in (`notebookExercises` in exercises/exercise-content.ts).
 */
export interface NotebookExercises {
  /**
   * The student's version of a notebook about to be stored (solutions and hidden tests taken
   * out), with the step that stores its exercises once the notebook row exists, in the same
   * transaction. Throws a 400 on broken exercise markers before anything is written; `where`
   * names the notebook in that error.
   */
  prepare(content: NotebookContent, where?: string): PreparedNotebook;
  /** Per module notebook: how many exercises it has and how many the user passed a check of. */
  progressOf(
    db: Db,
    userId: string,
    moduleNotebookIds: string[],
  ): Promise<Map<string, { total: number; passed: number }>>;
}

export interface PreparedNotebook {
  /** What every student-facing path stores and shows: no solution, no hidden tests. */
  studentContent: NotebookContent;
  /** Makes the notebook's stored exercises match this content (matched by grade id). */
  storeExercises(tx: Db, moduleNotebookId: string, now: Date): Promise<void>;
}

/** What the admin's module screens need; built once in app.ts. */
export interface ModuleAdminDeps {
  db: Db;
  clock: Clock;
  notebooks: Config['notebooks'];
  indexer: ContentChanges;
  exercises: Pick<NotebookExercises, 'prepare'>;
}
