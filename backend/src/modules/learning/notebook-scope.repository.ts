import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  moduleNotebooks,
  modules,
  notebookCopies,
  personalNotebooks,
} from '../../db/schema/index.js';

/** The caller's copy of a module notebook by the copy's id, with the original's title and content. */
export async function findOwnedCopyWithOriginal(db: Db, userId: string, copyId: string) {
  const [row] = await db
    .select({
      copyId: notebookCopies.id,
      moduleId: modules.id,
      title: moduleNotebooks.title,
      moduleTitle: modules.title,
      originalContent: moduleNotebooks.content,
    })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(and(eq(notebookCopies.id, copyId), eq(notebookCopies.userId, userId)));
  return row;
}

export async function findOwnedPersonalNotebookTitle(db: Db, userId: string, notebookId: string) {
  const [row] = await db
    .select({ id: personalNotebooks.id, title: personalNotebooks.title })
    .from(personalNotebooks)
    .where(and(eq(personalNotebooks.id, notebookId), eq(personalNotebooks.userId, userId)));
  return row;
}
