import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { moduleNotebooks, modules } from '../../db/schema/index.js';
import { visibleModules, type Visibility } from './modules.repository.js';

// The one writer of `module_notebooks`: the admin's edits, imports and the starter seed.

const notebookSummaryColumns = {
  id: moduleNotebooks.id,
  moduleId: moduleNotebooks.moduleId,
  slug: moduleNotebooks.slug,
  title: moduleNotebooks.title,
  description: moduleNotebooks.description,
  position: moduleNotebooks.position,
  version: moduleNotebooks.version,
};
export type ModuleNotebookSummaryRow = {
  [K in keyof typeof notebookSummaryColumns]: (typeof moduleNotebooks.$inferSelect)[K];
};
export type ModuleNotebookRow = ModuleNotebookSummaryRow & { content: unknown };

const notebookColumns = { ...notebookSummaryColumns, updatedAt: moduleNotebooks.updatedAt };
export type AdminNotebookRow = {
  [K in keyof typeof notebookColumns]: (typeof moduleNotebooks.$inferSelect)[K];
};

export function listNotebookSummaries(
  db: Db,
  moduleIds: string[],
): Promise<ModuleNotebookSummaryRow[]> {
  if (moduleIds.length === 0) return Promise.resolve([]);
  return db
    .select(notebookSummaryColumns)
    .from(moduleNotebooks)
    .where(inArray(moduleNotebooks.moduleId, moduleIds))
    .orderBy(asc(moduleNotebooks.position), asc(moduleNotebooks.title), asc(moduleNotebooks.id));
}

/** A notebook of a visible module, with its content; a notebook of another module is missing. */
export async function findModuleNotebook(
  db: Db,
  moduleId: string,
  notebookId: string,
  visibility: Visibility,
): Promise<ModuleNotebookRow | undefined> {
  const [row] = await db
    .select({ ...notebookSummaryColumns, content: moduleNotebooks.content })
    .from(moduleNotebooks)
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(
      and(
        eq(moduleNotebooks.id, notebookId),
        eq(moduleNotebooks.moduleId, moduleId),
        visibleModules(visibility),
      ),
    );
  return row;
}

export function findNotebooksOf(db: Db, moduleId?: string): Promise<AdminNotebookRow[]> {
  return db
    .select(notebookColumns)
    .from(moduleNotebooks)
    .where(moduleId ? eq(moduleNotebooks.moduleId, moduleId) : undefined)
    .orderBy(asc(moduleNotebooks.position), asc(moduleNotebooks.title), asc(moduleNotebooks.id));
}

export async function findNotebookContent(db: Db, moduleId: string, notebookId: string) {
  const [row] = await db
    .select({ ...notebookColumns, content: moduleNotebooks.content })
    .from(moduleNotebooks)
    .where(and(eq(moduleNotebooks.id, notebookId), eq(moduleNotebooks.moduleId, moduleId)));
  return row;
}

/** A notebook with its module's title, published or not, for the tutor's retrieval index. */
export async function findModuleNotebookForIndexing(db: Db, notebookId: string) {
  const [row] = await db
    .select({
      id: moduleNotebooks.id,
      moduleId: moduleNotebooks.moduleId,
      title: moduleNotebooks.title,
      content: moduleNotebooks.content,
      moduleTitle: modules.title,
    })
    .from(moduleNotebooks)
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(eq(moduleNotebooks.id, notebookId));
  return row;
}

export function findModuleNotebookIds(db: Db, moduleId?: string) {
  return db
    .select({ id: moduleNotebooks.id })
    .from(moduleNotebooks)
    .where(moduleId ? eq(moduleNotebooks.moduleId, moduleId) : undefined)
    .orderBy(asc(moduleNotebooks.position));
}

export async function nextNotebookPosition(db: Db, moduleId: string): Promise<number> {
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${moduleNotebooks.position}) + 1, 0)::int` })
    .from(moduleNotebooks)
    .where(eq(moduleNotebooks.moduleId, moduleId));
  return Number(row?.next ?? 0);
}

/** Inserts a notebook unless the module already has its slug; returns the new id, or undefined. */
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

/**
 * The id of a notebook of a visible module, and nothing else: a save checks that the student may
 * still see the original without reading its content (which can be megabytes).
 */
export async function findVisibleModuleNotebookId(
  db: Db,
  moduleId: string,
  notebookId: string,
  visibility: Visibility,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: moduleNotebooks.id })
    .from(moduleNotebooks)
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(
      and(
        eq(moduleNotebooks.id, notebookId),
        eq(moduleNotebooks.moduleId, moduleId),
        visibleModules(visibility),
      ),
    );
  return row?.id;
}
