import { indexModule, indexModuleNotebook, indexPersonalNotebook } from './indexing.service.js';
import type { RetrievalDeps } from './retrieval.types.js';

/**
 * Background indexing: callers enqueue after their write committed and never wait, so a slow
 * or failing embedding vendor can not hold up (or fail) a save. Jobs run one at a time; a
 * failure is logged and the chunks stay pending for the next run or the backfill.
 */
export interface RetrievalIndexer {
  moduleChanged(moduleId: string): void;
  moduleNotebookChanged(notebookId: string): void;
  personalNotebookChanged(notebookId: string): void;
  /** Resolves when every queued job has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}

export function createRetrievalIndexer(deps: RetrievalDeps): RetrievalIndexer {
  let tail: Promise<void> = Promise.resolve();
  const enqueue = (what: Record<string, string>, job: () => Promise<unknown>) => {
    tail = tail.then(async () => {
      try {
        await job();
      } catch (error) {
        deps.logger.warn({ err: error, ...what }, 'retrieval indexing failed');
      }
    });
  };
  return {
    moduleChanged: (moduleId) => enqueue({ moduleId }, () => indexModule(deps, moduleId)),
    moduleNotebookChanged: (notebookId) =>
      enqueue({ notebookId }, () => indexModuleNotebook(deps, notebookId)),
    personalNotebookChanged: (notebookId) =>
      enqueue({ notebookId }, () => indexPersonalNotebook(deps, notebookId)),
    idle: () => tail,
  };
}
