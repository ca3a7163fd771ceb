import {
  backfillRetrieval,
  indexModule,
  indexModuleNotebook,
  indexPersonalNotebook,
} from './indexing.service.js';
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
  /** Re-syncs everything (boot, imports); unchanged chunks cost a hash comparison each. */
  everythingChanged(): void;
  /** Resolves when every queued job has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/** For callers that may run without retrieval (some tests): enqueues nothing. */
export const noRetrievalIndexer: RetrievalIndexer = {
  moduleChanged: () => undefined,
  moduleNotebookChanged: () => undefined,
  personalNotebookChanged: () => undefined,
  everythingChanged: () => undefined,
  idle: () => Promise.resolve(),
};

export function createRetrievalIndexer(deps: RetrievalDeps): RetrievalIndexer {
  let tail: Promise<void> = Promise.resolve();
  // Autosave writes a notebook every few seconds: a job already waiting for the same source
  // will read the newest content when it runs, so a second one would only repeat it.
  const waiting = new Set<string>();
  const enqueue = (key: string, job: () => Promise<unknown>) => {
    if (waiting.has(key)) return;
    waiting.add(key);
    tail = tail.then(async () => {
      waiting.delete(key);
      try {
        await job();
      } catch (error) {
        deps.logger.warn({ err: error, job: key }, 'retrieval indexing failed');
      }
    });
  };
  return {
    moduleChanged: (moduleId) => enqueue(`module:${moduleId}`, () => indexModule(deps, moduleId)),
    moduleNotebookChanged: (notebookId) =>
      enqueue(`module_notebook:${notebookId}`, () => indexModuleNotebook(deps, notebookId)),
    personalNotebookChanged: (notebookId) =>
      enqueue(`personal_notebook:${notebookId}`, () => indexPersonalNotebook(deps, notebookId)),
    everythingChanged: () =>
      enqueue('everything', async () => {
        const { embedded } = await backfillRetrieval(deps);
        deps.logger.info({ embedded }, 'course material indexed');
      }),
    idle: () => tail,
  };
}
