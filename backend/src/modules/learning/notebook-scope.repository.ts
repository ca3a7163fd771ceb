import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  moduleNotebooks,
  modules,
  notebookCopies,
  personalNotebooks,
} from '../../db/schema/index.js';

/**
 * The caller's copy of a module notebook by the copy's id: its module and the original's title.
 * Read on every workspace turn, so without the original's content (a teacher's notebook with
 * its outputs can be megabytes, parsed on the event loop before the first token): that is
 * `findModuleNotebookContent`, read only where the text is used.
 */
export async function findOwnedCopy(db: Db, userId: string, copyId: string) {
  const [row] = await db
    .select({
      copyId: notebookCopies.id,
      moduleId: modules.id,
      moduleNotebookId: moduleNotebooks.id,
      title: moduleNotebooks.title,
      moduleTitle: modules.title,
    })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(and(eq(notebookCopies.id, copyId), eq(notebookCopies.userId, userId)));
  return row;
}

/** A module notebook's content (the original a student's copy was made from). */
export async function findModuleNotebookContent(
  db: Db,
  moduleNotebookId: string,
): Promise<unknown> {
  const [row] = await db
    .select({ content: moduleNotebooks.content })
    .from(moduleNotebooks)
    .where(eq(moduleNotebooks.id, moduleNotebookId));
  return row?.content;
}

export async function findOwnedPersonalNotebookTitle(db: Db, userId: string, notebookId: string) {
  const [row] = await db
    .select({ id: personalNotebooks.id, title: personalNotebooks.title })
    .from(personalNotebooks)
    .where(and(eq(personalNotebooks.id, notebookId), eq(personalNotebooks.userId, userId)));
  return row;
}
