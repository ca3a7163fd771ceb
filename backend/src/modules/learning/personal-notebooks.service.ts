import type { CreatePersonalNotebookBody, SaveNotebookBody } from '@hintbook/contracts';
import { withTransaction } from '../../db/transaction.js';
import { notebookLimitReached, notebookNotFound, versionConflict } from './learning.errors.js';
import type { LearningDeps } from './modules.service.js';
import {
  blankNotebook,
  measureNotebook,
  parseNotebookFile,
  titleFromFilename,
} from './notebook-content.js';
import {
  countPersonalNotebooks,
  createPersonalNotebook,
  deletePersonalNotebook,
  findPersonalNotebook,
  findPersonalNotebookVersion,
  listPersonalNotebooks,
  lockUserForNotebookCreation,
  renamePersonalNotebook,
  savePersonalNotebookContent,
  type PersonalNotebookRow,
} from './personal-notebooks.repository.js';

export function listMyNotebooks(deps: LearningDeps, userId: string) {
  return listPersonalNotebooks(deps.db, userId);
}

/**
 * Uploads an .ipynb (validated before anything is stored) or, without content, starts a blank
 * notebook; refused once the student keeps the maximum number.
 */
export async function addNotebook(
  deps: LearningDeps,
  userId: string,
  body: CreatePersonalNotebookBody,
): Promise<PersonalNotebookRow> {
  const content =
    body.content === undefined
      ? blankNotebook()
      : parseNotebookFile(body.content, deps.limits.maxBytes);
  const sizeBytes = measureNotebook(content, deps.limits.maxBytes);
  const title = body.title ?? titleFromFilename(body.filename) ?? 'Untitled';
  const now = deps.clock();
  const created = await withTransaction(deps.db, async (tx) => {
    await lockUserForNotebookCreation(tx, userId);
    if ((await countPersonalNotebooks(tx, userId)) >= deps.limits.personalMax) {
      throw notebookLimitReached(deps.limits.personalMax);
    }
    return createPersonalNotebook(tx, {
      userId,
      title,
      content,
      sizeBytes,
      createdAt: now,
      updatedAt: now,
    });
  });
  deps.indexer.personalNotebookChanged(created.id);
  return created;
}

export async function getMyNotebook(
  deps: LearningDeps,
  userId: string,
  notebookId: string,
): Promise<PersonalNotebookRow> {
  const notebook = await findPersonalNotebook(deps.db, userId, notebookId);
  if (!notebook) throw notebookNotFound();
  return notebook;
}

/** The notebook's stored version alone (conflict "keep mine"): its content is not read. */
export async function getMyNotebookVersion(
  deps: LearningDeps,
  userId: string,
  notebookId: string,
): Promise<number> {
  const version = await findPersonalNotebookVersion(deps.db, userId, notebookId);
  if (version === undefined) throw notebookNotFound();
  return version;
}

/** Saves over `baseVersion` or answers 409 with the stored version; never a silent overwrite. */
export async function saveMyNotebook(
  deps: LearningDeps,
  userId: string,
  notebookId: string,
  body: SaveNotebookBody,
) {
  const sizeBytes = measureNotebook(body.content, deps.limits.maxBytes);
  const saved = await savePersonalNotebookContent(deps.db, {
    userId,
    notebookId,
    baseVersion: body.baseVersion,
    content: body.content,
    sizeBytes,
    now: deps.clock(),
  });
  if (saved) {
    deps.indexer.personalNotebookChanged(notebookId);
    return saved;
  }
  const currentVersion = await findPersonalNotebookVersion(deps.db, userId, notebookId);
  if (currentVersion === undefined) throw notebookNotFound();
  throw versionConflict(currentVersion);
}

export async function renameMyNotebook(
  deps: LearningDeps,
  userId: string,
  notebookId: string,
  title: string,
): Promise<PersonalNotebookRow> {
  const notebook = await renamePersonalNotebook(deps.db, userId, notebookId, title, deps.clock());
  if (!notebook) throw notebookNotFound();
  // The title is part of every chunk's citation.
  deps.indexer.personalNotebookChanged(notebookId);
  return notebook;
}

export async function deleteMyNotebook(
  deps: LearningDeps,
  userId: string,
  notebookId: string,
): Promise<void> {
  if (!(await deletePersonalNotebook(deps.db, userId, notebookId))) throw notebookNotFound();
}
