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

/** What the admin's module screens need; built once in app.ts. */
export interface ModuleAdminDeps {
  db: Db;
  clock: Clock;
  notebooks: Config['notebooks'];
  indexer: ContentChanges;
}
