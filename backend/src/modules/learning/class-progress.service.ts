import type { ModuleClassProgressResponse } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { countCopiesByStatus, countModuleAudience } from './class-progress.repository.js';
import { moduleNotFound } from './learning.errors.js';
import { findNotebooksOf } from './module-notebooks.repository.js';
import { findModuleById } from './modules.repository.js';

/** How far the module's class is, notebook by notebook in course order (the admin's view). */
export async function getModuleClassProgress(
  db: Db,
  moduleId: string,
): Promise<ModuleClassProgressResponse> {
  if (!(await findModuleById(db, moduleId))) throw moduleNotFound();
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
