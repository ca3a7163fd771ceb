import type { Db } from '../../db/client.js';
import { listCopiesForUser } from './copies.repository.js';
import { listPersonalNotebooksWithContent } from './personal-notebooks.repository.js';

/** Learning's section of a student's data export: their module copies and own notebooks. */
export async function exportUserData(db: Db, userId: string) {
  return {
    moduleCopies: await listCopiesForUser(db, userId),
    personal: await listPersonalNotebooksWithContent(db, userId),
  };
}
