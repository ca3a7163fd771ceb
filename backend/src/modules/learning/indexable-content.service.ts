import type { Db } from '../../db/client.js';
import {
  findModuleNotebookForIndexing,
  findModuleNotebookIds,
} from './module-notebooks.repository.js';
import { findTextModuleFiles } from './module-files.repository.js';
import { findModuleIds } from './modules.repository.js';
import {
  findPersonalNotebookForIndexing,
  findPersonalNotebookIds,
} from './personal-notebooks.repository.js';

/**
 * What the tutor's retrieval index reads of learning content, published or not (the search
 * filters by visibility). Retrieval reads through here instead of querying learning's tables.
 */

export const findModuleNotebookToIndex = (db: Db, notebookId: string) =>
  findModuleNotebookForIndexing(db, notebookId);

/** Notebook ids in module order: of one module, or of every module. */
export const listModuleNotebookIds = (db: Db, moduleId?: string) =>
  findModuleNotebookIds(db, moduleId);

export const listTextModuleFiles = (db: Db, moduleIds: string[]) =>
  findTextModuleFiles(db, moduleIds);

export const listModuleIds = (db: Db) => findModuleIds(db);

export const findPersonalNotebookToIndex = (db: Db, notebookId: string) =>
  findPersonalNotebookForIndexing(db, notebookId);

export const listPersonalNotebookIds = (db: Db) => findPersonalNotebookIds(db);
