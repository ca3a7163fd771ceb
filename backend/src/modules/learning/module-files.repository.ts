import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { moduleFiles, modules } from '../../db/schema/index.js';

// The one writer of `module_files`: data files the admin uploads, imports and the starter seed.

const fileColumns = {
  id: moduleFiles.id,
  moduleId: moduleFiles.moduleId,
  notebookId: moduleFiles.notebookId,
  path: moduleFiles.path,
  mime: moduleFiles.mime,
  sizeBytes: moduleFiles.sizeBytes,
};
export type AdminFileRow = {
  [K in keyof typeof fileColumns]: (typeof moduleFiles.$inferSelect)[K];
};

/** Files for this notebook plus the module-wide ones (notebook_id null). */
export function listNotebookFiles(db: Db, moduleId: string, notebookId: string) {
  return db
    .select({
      path: moduleFiles.path,
      mime: moduleFiles.mime,
      sizeBytes: moduleFiles.sizeBytes,
      content: moduleFiles.content,
    })
    .from(moduleFiles)
    .where(
      and(
        eq(moduleFiles.moduleId, moduleId),
        or(isNull(moduleFiles.notebookId), eq(moduleFiles.notebookId, notebookId)),
      ),
    )
    .orderBy(asc(moduleFiles.path));
}

export function findFilesOf(db: Db, moduleId?: string): Promise<AdminFileRow[]> {
  return db
    .select(fileColumns)
    .from(moduleFiles)
    .where(moduleId ? eq(moduleFiles.moduleId, moduleId) : undefined)
    .orderBy(asc(moduleFiles.path));
}

/** Data files that are text (by MIME type or extension) and small enough to be worth indexing. */
export function findTextModuleFiles(db: Db, moduleIds: string[]) {
  if (moduleIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: moduleFiles.id,
      moduleId: moduleFiles.moduleId,
      path: moduleFiles.path,
      content: moduleFiles.content,
      moduleTitle: modules.title,
    })
    .from(moduleFiles)
    .innerJoin(modules, eq(modules.id, moduleFiles.moduleId))
    .where(
      and(
        inArray(moduleFiles.moduleId, moduleIds),
        sql`${moduleFiles.sizeBytes} <= 1000000`,
        sql`(${moduleFiles.mime} like 'text/%' or ${moduleFiles.path} ~* '\\.(csv|tsv|txt|md|json)$')`,
      ),
    );
}

export async function findFileByPath(
  db: Db,
  moduleId: string,
  notebookId: string | null,
  path: string,
): Promise<AdminFileRow | undefined> {
  const [row] = await db
    .select(fileColumns)
    .from(moduleFiles)
    .where(
      and(
        eq(moduleFiles.moduleId, moduleId),
        notebookId ? eq(moduleFiles.notebookId, notebookId) : isNull(moduleFiles.notebookId),
        eq(moduleFiles.path, path),
      ),
    );
  return row;
}

/** Adds a file, or replaces the one at the same path (of the same notebook, or module-wide). */
export async function upsertFile(
  db: Db,
  values: {
    moduleId: string;
    notebookId: string | null;
    path: string;
    mime: string;
    content: Buffer;
  },
  now: Date,
): Promise<AdminFileRow> {
  const existing = await findFileByPath(db, values.moduleId, values.notebookId, values.path);
  const data = {
    mime: values.mime,
    content: values.content,
    sizeBytes: values.content.byteLength,
    updatedAt: now,
  };
  if (existing) {
    const [row] = await db
      .update(moduleFiles)
      .set(data)
      .where(eq(moduleFiles.id, existing.id))
      .returning(fileColumns);
    return row!;
  }
  const [row] = await db
    .insert(moduleFiles)
    .values({ ...values, ...data, createdAt: now })
    .returning(fileColumns);
  return row!;
}

export async function deleteFileRow(db: Db, moduleId: string, fileId: string): Promise<boolean> {
  const rows = await db
    .delete(moduleFiles)
    .where(and(eq(moduleFiles.id, fileId), eq(moduleFiles.moduleId, moduleId)))
    .returning({ id: moduleFiles.id });
  return rows.length > 0;
}
