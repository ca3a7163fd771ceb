import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { moduleFiles, moduleNotebooks, modules } from '../../db/schema/index.js';

const moduleColumns = {
  id: modules.id,
  slug: modules.slug,
  title: modules.title,
  description: modules.description,
  position: modules.position,
  published: modules.published,
  updatedAt: modules.updatedAt,
};
export type AdminModuleRow = {
  [K in keyof typeof moduleColumns]: (typeof modules.$inferSelect)[K];
};

const notebookColumns = {
  id: moduleNotebooks.id,
  moduleId: moduleNotebooks.moduleId,
  slug: moduleNotebooks.slug,
  title: moduleNotebooks.title,
  description: moduleNotebooks.description,
  position: moduleNotebooks.position,
  version: moduleNotebooks.version,
  updatedAt: moduleNotebooks.updatedAt,
};
export type AdminNotebookRow = {
  [K in keyof typeof notebookColumns]: (typeof moduleNotebooks.$inferSelect)[K];
};

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

export function findAllModules(db: Db): Promise<AdminModuleRow[]> {
  return db
    .select(moduleColumns)
    .from(modules)
    .orderBy(asc(modules.position), asc(modules.title), asc(modules.id));
}

export async function findModuleById(db: Db, id: string): Promise<AdminModuleRow | undefined> {
  const [row] = await db.select(moduleColumns).from(modules).where(eq(modules.id, id));
  return row;
}

export async function findModuleBySlug(db: Db, slug: string): Promise<AdminModuleRow | undefined> {
  const [row] = await db.select(moduleColumns).from(modules).where(eq(modules.slug, slug));
  return row;
}

export function findNotebooksOf(db: Db, moduleId?: string): Promise<AdminNotebookRow[]> {
  return db
    .select(notebookColumns)
    .from(moduleNotebooks)
    .where(moduleId ? eq(moduleNotebooks.moduleId, moduleId) : undefined)
    .orderBy(asc(moduleNotebooks.position), asc(moduleNotebooks.title), asc(moduleNotebooks.id));
}

export function findFilesOf(db: Db, moduleId?: string): Promise<AdminFileRow[]> {
  return db
    .select(fileColumns)
    .from(moduleFiles)
    .where(moduleId ? eq(moduleFiles.moduleId, moduleId) : undefined)
    .orderBy(asc(moduleFiles.path));
}

export async function nextModulePosition(db: Db): Promise<number> {
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${modules.position}) + 1, 0)::int` })
    .from(modules);
  return Number(row?.next ?? 0);
}

export async function nextNotebookPosition(db: Db, moduleId: string): Promise<number> {
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${moduleNotebooks.position}) + 1, 0)::int` })
    .from(moduleNotebooks)
    .where(eq(moduleNotebooks.moduleId, moduleId));
  return Number(row?.next ?? 0);
}

export async function insertModule(
  db: Db,
  values: Pick<typeof modules.$inferInsert, 'slug' | 'title' | 'description' | 'position'> & {
    now: Date;
  },
): Promise<string | undefined> {
  const { now, ...rest } = values;
  const [row] = await db
    .insert(modules)
    .values({ ...rest, published: false, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: modules.slug })
    .returning({ id: modules.id });
  return row?.id;
}

export async function updateModuleRow(
  db: Db,
  id: string,
  patch: Partial<
    Pick<typeof modules.$inferInsert, 'slug' | 'title' | 'description' | 'position' | 'published'>
  >,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(modules)
    .set({ ...patch, updatedAt: now })
    .where(eq(modules.id, id))
    .returning({ id: modules.id });
  return rows.length > 0;
}

export async function deleteModuleRow(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(modules).where(eq(modules.id, id)).returning({ id: modules.id });
  return rows.length > 0;
}

export async function findNotebookContent(db: Db, moduleId: string, notebookId: string) {
  const [row] = await db
    .select({ ...notebookColumns, content: moduleNotebooks.content })
    .from(moduleNotebooks)
    .where(and(eq(moduleNotebooks.id, notebookId), eq(moduleNotebooks.moduleId, moduleId)));
  return row;
}

export async function insertNotebook(
  db: Db,
  values: Pick<
    typeof moduleNotebooks.$inferInsert,
    'moduleId' | 'slug' | 'title' | 'description' | 'position' | 'content'
  > & { now: Date },
): Promise<string | undefined> {
  const { now, ...rest } = values;
  const [row] = await db
    .insert(moduleNotebooks)
    .values({ ...rest, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: moduleNotebooks.id });
  return row?.id;
}

export async function updateNotebookRow(
  db: Db,
  moduleId: string,
  notebookId: string,
  patch: Partial<
    Pick<typeof moduleNotebooks.$inferInsert, 'title' | 'description' | 'position'>
  > & {
    content?: unknown;
  },
  now: Date,
): Promise<AdminNotebookRow | undefined> {
  const [row] = await db
    .update(moduleNotebooks)
    .set({
      ...patch,
      // New content is a new version: students' copies made earlier then see a notice.
      ...(patch.content !== undefined ? { version: sql`${moduleNotebooks.version} + 1` } : {}),
      updatedAt: now,
    })
    .where(and(eq(moduleNotebooks.id, notebookId), eq(moduleNotebooks.moduleId, moduleId)))
    .returning(notebookColumns);
  return row;
}

export async function deleteNotebookRow(db: Db, moduleId: string, notebookId: string) {
  const rows = await db
    .delete(moduleNotebooks)
    .where(and(eq(moduleNotebooks.id, notebookId), eq(moduleNotebooks.moduleId, moduleId)))
    .returning({ id: moduleNotebooks.id });
  return rows.length > 0;
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
