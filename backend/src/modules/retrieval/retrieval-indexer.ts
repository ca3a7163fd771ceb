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
 * failed job (vendor down past the embedder's own retries, database restarting) is tried again
 * later, a few times, and is logged; the boot sync catches whatever is still missing.
 */
export interface RetrievalIndexer {
  moduleChanged(moduleId: string): void;
  moduleNotebookChanged(notebookId: string): void;
  personalNotebookChanged(notebookId: string): void;
  /** Re-syncs everything (boot, imports); unchanged chunks cost a hash comparison each. */
  everythingChanged(): void;
  /** Resolves when every queued job has finished (tests, graceful shutdown); not retries. */
  idle(): Promise<void>;
  /** Cancels scheduled retries (shutdown). */
  stop(): void;
}

export interface IndexerOptions {
  /** Waits before each new attempt of a failed job (default 1 min, 5 min, 30 min). */
  retryDelaysMs?: number[];
}

const DEFAULT_RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000];

export function createRetrievalIndexer(
  deps: RetrievalDeps,
  options: IndexerOptions = {},
): RetrievalIndexer {
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let tail: Promise<void> = Promise.resolve();
  // Autosave writes a notebook every few seconds: a job already waiting for the same source
  // will read the newest content when it runs, so a second one would only repeat it.
  const waiting = new Set<string>();
  const retries = new Set<NodeJS.Timeout>();
  const enqueue = (key: string, job: () => Promise<unknown>, attempt = 0) => {
    if (waiting.has(key)) return;
    waiting.add(key);
    tail = tail.then(async () => {
      waiting.delete(key);
      try {
        await job();
      } catch (error) {
        const delay = retryDelays[attempt];
        deps.logger.warn(
          { err: error, job: key, attempt: attempt + 1, retryInMs: delay ?? null },
          'retrieval indexing failed',
        );
        if (delay === undefined) return;
        const timer = setTimeout(() => {
          retries.delete(timer);
          enqueue(key, job, attempt + 1);
        }, delay);
        timer.unref();
        retries.add(timer);
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
    stop: () => {
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
    },
  };
}
