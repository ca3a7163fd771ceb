import {
  type AdminDataFile,
  type AdminModule,
  type AdminNotebook,
  type CreateModuleBody,
  type NotebookContent,
  type NotebookPreviewResponse,
  type UpdateModuleBody,
  type UpdateModuleNotebookBody,
} from '@hintbook/contracts';
import { slugify } from '@hintbook/contracts/slugify';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import { recordAudit, type AuditActor } from '../audit/audit.service.js';
import {
  adminModuleNotFound,
  fileNotFound,
  fileTooLarge,
  invalidOrder,
  moduleSlugTaken,
  notebookNotFound,
  notebookSlugTaken,
} from './learning.errors.js';
import { toDataFile } from './learning.mapper.js';
import type { ModuleAdminDeps } from './learning.types.js';
import { measureNotebook, parseNotebookFile, readNotebookJson } from './notebook-content.js';
import {
  deleteFileRow,
  findFilesOf,
  listNotebookFiles,
  upsertFile,
  type AdminFileRow,
} from './module-files.repository.js';
import {
  deleteNotebookRow,
  findNotebookContent,
  findNotebooksOf,
  insertNotebook,
  nextNotebookPosition,
  updateNotebookRow,
  type AdminNotebookRow,
} from './module-notebooks.repository.js';
import {
  deleteModuleRow,
  findAllModules,
  findModuleById,
  findModuleBySlug,
  insertModule,
  nextModulePosition,
  updateModuleRow,
  type AdminModuleRow,
} from './modules.repository.js';

export type ContentDeps = Pick<ModuleAdminDeps, 'db' | 'clock' | 'notebooks' | 'exercises'>;

export const toAdminNotebook = (row: AdminNotebookRow): AdminNotebook => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  description: row.description,
  position: row.position,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
});

const toAdminFile = (row: AdminFileRow): AdminDataFile => ({
  id: row.id,
  path: row.path,
  mime: row.mime,
  sizeBytes: row.sizeBytes,
  notebookId: row.notebookId,
});

function toAdminModule(
  row: AdminModuleRow,
  notebooks: AdminNotebookRow[],
  files: AdminFileRow[],
): AdminModule {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    position: row.position,
    published: row.published,
    updatedAt: row.updatedAt.toISOString(),
    notebooks: notebooks.filter((nb) => nb.moduleId === row.id).map(toAdminNotebook),
    files: files.filter((file) => file.moduleId === row.id).map(toAdminFile),
  };
}

/** Every module, published or not, with notebooks and files (no content). */
export async function listAdminModules(deps: ContentDeps): Promise<AdminModule[]> {
  const [rows, notebooks, files] = await Promise.all([
    findAllModules(deps.db),
    findNotebooksOf(deps.db),
    findFilesOf(deps.db),
  ]);
  return rows.map((row) => toAdminModule(row, notebooks, files));
}

export async function getAdminModule(db: Db, moduleId: string): Promise<AdminModule> {
  const row = await findModuleById(db, moduleId);
  if (!row) throw adminModuleNotFound();
  const [notebooks, files] = await Promise.all([
    findNotebooksOf(db, moduleId),
    findFilesOf(db, moduleId),
  ]);
  return toAdminModule(row, notebooks, files);
}

/** Runs a change and its audit entry in one transaction. */
async function audited<T>(
  deps: ContentDeps,
  actor: AuditActor,
  event: {
    action: string;
    targetType: string;
    targetId?: string;
    details?: Record<string, unknown>;
  },
  change: (tx: Db, now: Date) => Promise<T & { auditTargetId?: string }>,
): Promise<T> {
  const now = deps.clock();
  return withTransaction(deps.db, async (tx) => {
    const result = await change(tx, now);
    await recordAudit(
      tx,
      actor,
      { ...event, targetId: result.auditTargetId ?? event.targetId ?? null },
      now,
    );
    return result;
  });
}

export async function createModule(
  deps: ContentDeps,
  actor: AuditActor,
  body: Required<CreateModuleBody>,
): Promise<AdminModule> {
  const { id } = await audited(
    deps,
    actor,
    {
      action: 'module.create',
      targetType: 'module',
      details: { slug: body.slug, title: body.title },
    },
    async (tx, now) => {
      const created = await insertModule(tx, {
        ...body,
        position: await nextModulePosition(tx),
        now,
      });
      if (!created) throw moduleSlugTaken();
      return { id: created, auditTargetId: created };
    },
  );
  return getAdminModule(deps.db, id);
}

export async function updateModule(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  body: UpdateModuleBody,
): Promise<AdminModule> {
  await audited(
    deps,
    actor,
    { action: 'module.update', targetType: 'module', targetId: moduleId, details: { ...body } },
    async (tx, now) => {
      if (body.slug) {
        const other = await findModuleBySlug(tx, body.slug);
        if (other && other.id !== moduleId) throw moduleSlugTaken();
      }
      if (!(await updateModuleRow(tx, moduleId, body, now))) throw adminModuleNotFound();
      return {};
    },
  );
  return getAdminModule(deps.db, moduleId);
}

export async function setModulePublished(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  published: boolean,
): Promise<AdminModule> {
  await audited(
    deps,
    actor,
    {
      action: published ? 'module.publish' : 'module.unpublish',
      targetType: 'module',
      targetId: moduleId,
    },
    async (tx, now) => {
      if (!(await updateModuleRow(tx, moduleId, { published }, now))) throw adminModuleNotFound();
      return {};
    },
  );
  return getAdminModule(deps.db, moduleId);
}

export async function deleteModule(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
): Promise<void> {
  const module = await findModuleById(deps.db, moduleId);
  if (!module) throw adminModuleNotFound();
  await audited(
    deps,
    actor,
    {
      action: 'module.delete',
      targetType: 'module',
      targetId: moduleId,
      details: { slug: module.slug, title: module.title },
    },
    async (tx) => {
      if (!(await deleteModuleRow(tx, moduleId))) throw adminModuleNotFound();
      return {};
    },
  );
}

function assertSameSet(given: string[], existing: string[]) {
  const wanted = new Set(existing);
  if (
    given.length !== existing.length ||
    new Set(given).size !== given.length ||
    !given.every((id) => wanted.has(id))
  ) {
    throw invalidOrder();
  }
}

export async function reorderModules(
  deps: ContentDeps,
  actor: AuditActor,
  moduleIds: string[],
): Promise<AdminModule[]> {
  await audited(
    deps,
    actor,
    { action: 'module.reorder', targetType: 'module', details: { moduleIds } },
    async (tx, now) => {
      assertSameSet(
        moduleIds,
        (await findAllModules(tx)).map((row) => row.id),
      );
      for (const [position, id] of moduleIds.entries()) {
        await updateModuleRow(tx, id, { position }, now);
      }
      return {};
    },
  );
  return listAdminModules(deps);
}

/** A notebook from an upload: the file's text, or its JSON; validated as nbformat 4. */
export function readNotebookBody(content: string | Record<string, unknown>, maxBytes: number) {
  if (typeof content === 'string') return parseNotebookFile(content, maxBytes);
  const notebook = readNotebookJson(content);
  measureNotebook(notebook, maxBytes);
  return notebook;
}

/** A notebook's default slug: the shared `slugify`, or `notebook` when nothing usable is left. */
export function notebookSlugFrom(text: string): string {
  return slugify(text) || 'notebook';
}

export async function addNotebook(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  body: { slug?: string | undefined; title: string; description: string; content: NotebookContent },
): Promise<AdminNotebook> {
  const slug = body.slug ?? notebookSlugFrom(body.title);
  const prepared = deps.exercises.prepare(body.content);
  const { row } = await audited(
    deps,
    actor,
    { action: 'notebook.create', targetType: 'module_notebook', details: { moduleId, slug } },
    async (tx, now) => {
      if (!(await findModuleById(tx, moduleId))) throw adminModuleNotFound();
      const id = await insertNotebook(tx, {
        moduleId,
        slug,
        title: body.title,
        description: body.description,
        position: await nextNotebookPosition(tx, moduleId),
        content: prepared.studentContent,
        now,
      });
      if (!id) throw notebookSlugTaken();
      await prepared.storeExercises(tx, id, now);
      const row = (await findNotebooksOf(tx, moduleId)).find((nb) => nb.id === id)!;
      return { row, auditTargetId: id };
    },
  );
  return toAdminNotebook(row);
}

export async function updateNotebook(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  notebookId: string,
  patch: UpdateModuleNotebookBody & { content?: NotebookContent },
): Promise<AdminNotebook> {
  const isReplace = patch.content !== undefined;
  const prepared = patch.content ? deps.exercises.prepare(patch.content) : undefined;
  const { row } = await audited(
    deps,
    actor,
    {
      action: isReplace ? 'notebook.replace' : 'notebook.update',
      targetType: 'module_notebook',
      targetId: notebookId,
      details: { moduleId, ...(patch.title ? { title: patch.title } : {}) },
    },
    async (tx, now) => {
      const stored = prepared ? { ...patch, content: prepared.studentContent } : patch;
      const row = await updateNotebookRow(tx, moduleId, notebookId, stored, now);
      if (!row) throw notebookNotFound();
      if (prepared) await prepared.storeExercises(tx, notebookId, now);
      return { row };
    },
  );
  return toAdminNotebook(row);
}

export async function reorderNotebooks(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  notebookIds: string[],
): Promise<AdminModule> {
  await audited(
    deps,
    actor,
    {
      action: 'notebook.reorder',
      targetType: 'module',
      targetId: moduleId,
      details: { notebookIds },
    },
    async (tx, now) => {
      if (!(await findModuleById(tx, moduleId))) throw adminModuleNotFound();
      assertSameSet(
        notebookIds,
        (await findNotebooksOf(tx, moduleId)).map((row) => row.id),
      );
      for (const [position, id] of notebookIds.entries()) {
        await updateNotebookRow(tx, moduleId, id, { position }, now);
      }
      return {};
    },
  );
  return getAdminModule(deps.db, moduleId);
}

export async function deleteNotebook(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  notebookId: string,
): Promise<void> {
  await audited(
    deps,
    actor,
    {
      action: 'notebook.delete',
      targetType: 'module_notebook',
      targetId: notebookId,
      details: { moduleId },
    },
    async (tx) => {
      if (!(await deleteNotebookRow(tx, moduleId, notebookId))) throw notebookNotFound();
      return {};
    },
  );
}

/** The notebook exactly as a student opening it would get it, published or not. */
export async function previewNotebook(
  deps: ContentDeps,
  moduleId: string,
  notebookId: string,
): Promise<NotebookPreviewResponse> {
  const row = await findNotebookContent(deps.db, moduleId, notebookId);
  if (!row) throw notebookNotFound();
  const files = await listNotebookFiles(deps.db, moduleId, notebookId);
  return {
    notebook: { ...toAdminNotebook(row), content: row.content as NotebookContent },
    files: files.map(toDataFile),
  };
}

/** Adds a data file, or replaces the one at the same path. */
export async function putDataFile(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  body: { path: string; mime: string; notebookId: string | null; contentBase64: string },
): Promise<AdminDataFile> {
  const content = Buffer.from(body.contentBase64, 'base64');
  if (content.byteLength > deps.notebooks.maxBytes) throw fileTooLarge(deps.notebooks.maxBytes);
  const { row } = await audited(
    deps,
    actor,
    {
      action: 'file.put',
      targetType: 'module_file',
      details: { moduleId, path: body.path, sizeBytes: content.byteLength },
    },
    async (tx, now) => {
      if (!(await findModuleById(tx, moduleId))) throw adminModuleNotFound();
      if (body.notebookId && !(await findNotebookContent(tx, moduleId, body.notebookId))) {
        throw notebookNotFound();
      }
      const row = await upsertFile(tx, { moduleId, ...body, content }, now);
      return { row, auditTargetId: row.id };
    },
  );
  return toAdminFile(row);
}

export async function deleteDataFile(
  deps: ContentDeps,
  actor: AuditActor,
  moduleId: string,
  fileId: string,
): Promise<void> {
  await audited(
    deps,
    actor,
    { action: 'file.delete', targetType: 'module_file', targetId: fileId, details: { moduleId } },
    async (tx) => {
      if (!(await deleteFileRow(tx, moduleId, fileId))) throw fileNotFound();
      return {};
    },
  );
}
