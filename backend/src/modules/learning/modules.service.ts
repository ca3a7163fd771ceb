import type {
  LearningModule,
  ModuleAiPolicy,
  NotebookCopy,
  NotebookStatus,
  SaveNotebookBody,
} from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import {
  createCopyIfMissing,
  findCopy,
  findCopyVersion,
  listCopyProgress,
  resetCopyContent,
  saveCopyContent,
  updateCopySourceVersion,
  updateCopyStatus,
  type CopyRow,
} from './copies.repository.js';
import { moduleNotFound, notebookNotFound, versionConflict } from './learning.errors.js';
import { toLearningModule, toNotebookCopy, type CopyProgress } from './learning.mapper.js';
import type { ContentChanges, NotebookExercises } from './learning.types.js';
import { listNotebookFiles } from './module-files.repository.js';
import {
  findModuleNotebook,
  findVisibleModuleNotebookId,
  listNotebookSummaries,
  type ModuleNotebookRow,
} from './module-notebooks.repository.js';
import { findModule, listModules, updateModuleRow, type Visibility } from './modules.repository.js';
import { measureNotebook } from './notebook-content.js';
import { policyAt, readAiPolicy } from './ai-policy.js';

export interface LearningDeps {
  db: Db;
  clock: Clock;
  limits: { maxBytes: number; personalMax: number };
  /** A student's own notebook changed: re-index it for their tutor, in the background. */
  indexer: Pick<ContentChanges, 'personalNotebookChanged'>;
  /** Each notebook's exercise progress, from exercises (handed in by app.ts). */
  exercises: Pick<NotebookExercises, 'progressOf'>;
}

/** Who is asking: admins also see unpublished modules (to preview them). */
export interface Viewer {
  id: string;
  isAdmin: boolean;
}

const visibilityFor = (viewer: Viewer): Visibility => ({
  includeUnpublished: viewer.isAdmin,
  userId: viewer.id,
});

/** Modules in order, each notebook with the viewer's progress. */
export async function listMyModules(deps: LearningDeps, viewer: Viewer): Promise<LearningModule[]> {
  const rows = await listModules(deps.db, visibilityFor(viewer));
  return withProgress(deps, viewer, rows);
}

export async function getMyModule(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
): Promise<LearningModule> {
  const row = await findModule(deps.db, moduleId, visibilityFor(viewer));
  if (!row) throw moduleNotFound();
  const [module] = await withProgress(deps, viewer, [row]);
  return module!;
}

async function withProgress(
  deps: LearningDeps,
  viewer: Viewer,
  rows: Awaited<ReturnType<typeof listModules>>,
): Promise<LearningModule[]> {
  const notebooks = await listNotebookSummaries(
    deps.db,
    rows.map((row) => row.id),
  );
  const progress = await listCopyProgress(
    deps.db,
    viewer.id,
    notebooks.map((notebook) => notebook.id),
  );
  const byNotebook = new Map<string, CopyProgress>(
    progress.map((copy) => [copy.moduleNotebookId, copy]),
  );
  const exercises = await deps.exercises.progressOf(
    deps.db,
    viewer.id,
    notebooks.map((notebook) => notebook.id),
  );
  const now = deps.clock();
  return rows.map((row) =>
    toLearningModule(
      row,
      notebooks.filter((notebook) => notebook.moduleId === row.id),
      byNotebook,
      exercises,
      policyAt(readAiPolicy(row.aiPolicy), now),
    ),
  );
}

/** Opens the viewer's copy, making it from the original the first time. */
export async function openCopy(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
): Promise<NotebookCopy> {
  const original = await findOriginal(deps, viewer, moduleId, notebookId);
  const copy = await ensureCopy(deps, viewer, original);
  return view(deps, original, copy);
}

/**
 * Saves over `baseVersion` or refuses with the stored version: two tabs never silently
 * overwrite each other.
 */
export async function saveCopy(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
  body: SaveNotebookBody,
) {
  // Autosave runs every few seconds: it checks the original is still visible and reads the
  // copy's version without loading either notebook's content.
  const originalId = await findVisibleModuleNotebookId(
    deps.db,
    moduleId,
    notebookId,
    visibilityFor(viewer),
  );
  if (!originalId) throw notebookNotFound();
  const sizeBytes = measureNotebook(body.content, deps.limits.maxBytes);
  const saved = await saveCopyContent(deps.db, {
    userId: viewer.id,
    moduleNotebookId: originalId,
    baseVersion: body.baseVersion,
    content: body.content,
    sizeBytes,
    now: deps.clock(),
  });
  if (saved) return saved;
  const currentVersion = await findCopyVersion(deps.db, viewer.id, originalId);
  if (currentVersion === undefined) throw notebookNotFound();
  throw versionConflict(currentVersion);
}

/** The copy's stored version alone (conflict "keep mine"): no notebook content is read. */
export async function getCopyVersion(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
): Promise<number> {
  const originalId = await requireVisibleModuleNotebook(deps.db, viewer, moduleId, notebookId);
  const version = await findCopyVersion(deps.db, viewer.id, originalId);
  if (version === undefined) throw notebookNotFound();
  return version;
}

export async function markCopyStatus(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
  status: NotebookStatus,
) {
  const original = await findOriginal(deps, viewer, moduleId, notebookId);
  await ensureCopy(deps, viewer, original);
  const updated = await updateCopyStatus(deps.db, viewer.id, original.id, status, deps.clock());
  if (!updated) throw notebookNotFound();
  return updated;
}

/** Back to the original as it is now; the save counter continues so open tabs get a conflict. */
export async function resetCopy(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
): Promise<NotebookCopy> {
  const original = await findOriginal(deps, viewer, moduleId, notebookId);
  await ensureCopy(deps, viewer, original);
  await resetCopyContent(deps.db, {
    userId: viewer.id,
    moduleNotebookId: original.id,
    content: original.content,
    sizeBytes: storedSize(original.content),
    sourceVersion: original.version,
    now: deps.clock(),
  });
  return view(deps, original, await mustFindCopy(deps, viewer, original.id));
}

/** The student keeps their work although the original changed; the notice goes away. */
export async function keepCopy(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
): Promise<NotebookCopy> {
  const original = await findOriginal(deps, viewer, moduleId, notebookId);
  await ensureCopy(deps, viewer, original);
  await updateCopySourceVersion(deps.db, viewer.id, original.id, original.version);
  return view(deps, original, await mustFindCopy(deps, viewer, original.id));
}

/**
 * For exercises: the id of a module notebook the viewer may see, or `notebookNotFound`. Reads
 * neither the notebook's content nor the viewer's copy.
 */
export async function requireVisibleModuleNotebook(
  db: Db,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
): Promise<string> {
  const id = await findVisibleModuleNotebookId(db, moduleId, notebookId, visibilityFor(viewer));
  if (!id) throw notebookNotFound();
  return id;
}

/** For exercises: the last exercise of the notebook passed, so the student's copy is done. */
export async function markCopyCompleted(
  db: Db,
  userId: string,
  moduleNotebookId: string,
  now: Date,
): Promise<void> {
  await updateCopyStatus(db, userId, moduleNotebookId, 'completed', now);
}

/**
 * For exercises' policy screen, inside its transaction (it audits before and after): learning
 * owns the modules table, so this is the one writer of `ai_policy`. False when no such module.
 */
export function saveModuleAiPolicy(
  tx: Db,
  moduleId: string,
  policy: ModuleAiPolicy,
  now: Date,
): Promise<boolean> {
  return updateModuleRow(tx, moduleId, { aiPolicy: policy }, now);
}

async function findOriginal(
  deps: LearningDeps,
  viewer: Viewer,
  moduleId: string,
  notebookId: string,
): Promise<ModuleNotebookRow> {
  const original = await findModuleNotebook(deps.db, moduleId, notebookId, visibilityFor(viewer));
  if (!original) throw notebookNotFound();
  return original;
}

async function ensureCopy(deps: LearningDeps, viewer: Viewer, original: ModuleNotebookRow) {
  const existing = await findCopy(deps.db, viewer.id, original.id);
  if (existing) return existing;
  await createCopyIfMissing(deps.db, {
    userId: viewer.id,
    moduleNotebookId: original.id,
    content: original.content,
    sizeBytes: storedSize(original.content),
    sourceVersion: original.version,
  });
  return mustFindCopy(deps, viewer, original.id);
}

async function mustFindCopy(deps: LearningDeps, viewer: Viewer, moduleNotebookId: string) {
  const copy = await findCopy(deps.db, viewer.id, moduleNotebookId);
  if (!copy) throw notebookNotFound();
  return copy;
}

async function view(deps: LearningDeps, original: ModuleNotebookRow, copy: CopyRow) {
  const files = await listNotebookFiles(deps.db, original.moduleId, original.id);
  return toNotebookCopy(original, copy, files);
}

// Originals are admin content: their size is recorded, not limited by the student limit.
function storedSize(content: unknown): number {
  return Buffer.byteLength(JSON.stringify(content), 'utf8');
}
