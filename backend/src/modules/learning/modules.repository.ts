import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { contentSeeds, moduleFiles, moduleNotebooks, modules } from '../../db/schema/index.js';
import { moduleVisibleToUser } from '../roster/group-visibility.js';

const moduleColumns = {
  id: modules.id,
  slug: modules.slug,
  title: modules.title,
  description: modules.description,
  position: modules.position,
  published: modules.published,
  aiPolicy: modules.aiPolicy,
};
export type ModuleRow = { [K in keyof typeof moduleColumns]: (typeof modules.$inferSelect)[K] };

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

/**
 * Students see published modules meant for everyone or for one of their groups; admins
 * (previewing) see all.
 */
export interface Visibility {
  includeUnpublished: boolean;
  /** The student whose groups decide; a module for some groups only is hidden without it. */
  userId?: string | undefined;
}

const visible = (visibility: Visibility) =>
  visibility.includeUnpublished
    ? undefined
    : and(
        eq(modules.published, true),
        moduleVisibleToUser(
          modules.id,
          visibility.userId ?? '00000000-0000-0000-0000-000000000000',
        ),
      );

export function listModules(db: Db, visibility: Visibility): Promise<ModuleRow[]> {
  return db
    .select(moduleColumns)
    .from(modules)
    .where(visible(visibility))
    .orderBy(asc(modules.position), asc(modules.title), asc(modules.id));
}

export async function findModule(
  db: Db,
  moduleId: string,
  visibility: Visibility,
): Promise<ModuleRow | undefined> {
  const [row] = await db
    .select(moduleColumns)
    .from(modules)
    .where(and(eq(modules.id, moduleId), visible(visibility)));
  return row;
}

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
        visible(visibility),
      ),
    );
  return row;
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
        visible(visibility),
      ),
    );
  return row?.id;
}

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

/** Replaces an original's content and bumps its version, so copies made earlier see a notice. */
export async function replaceModuleNotebookContent(
  db: Db,
  notebookId: string,
  content: unknown,
  now: Date,
): Promise<number | undefined> {
  const [row] = await db
    .update(moduleNotebooks)
    .set({ content, version: sql`${moduleNotebooks.version} + 1`, updatedAt: now })
    .where(eq(moduleNotebooks.id, notebookId))
    .returning({ version: moduleNotebooks.version });
  return row?.version;
}

export async function setModulePublished(
  db: Db,
  moduleId: string,
  published: boolean,
  now: Date,
): Promise<void> {
  await db.update(modules).set({ published, updatedAt: now }).where(eq(modules.id, moduleId));
}

export async function findModuleIdBySlug(db: Db, slug: string): Promise<string | undefined> {
  const [row] = await db.select({ id: modules.id }).from(modules).where(eq(modules.slug, slug));
  return row?.id;
}

/** Claims a seed key; false when some boot (this one or another replica) already claimed it. */
export async function claimContentSeed(db: Db, key: string, now: Date): Promise<boolean> {
  const claimed = await db
    .insert(contentSeeds)
    .values({ key, seededAt: now })
    .onConflictDoNothing()
    .returning({ key: contentSeeds.key });
  return claimed.length > 0;
}

/** Inserts a module unless its slug is taken; returns the new id, or undefined. */
export async function createModuleIfSlugFree(
  db: Db,
  values: Pick<
    typeof modules.$inferInsert,
    'slug' | 'title' | 'description' | 'position' | 'published'
  >,
): Promise<string | undefined> {
  const [row] = await db
    .insert(modules)
    .values(values)
    .onConflictDoNothing({ target: modules.slug })
    .returning({ id: modules.id });
  return row?.id;
}

export async function createModuleNotebook(
  db: Db,
  values: Pick<
    typeof moduleNotebooks.$inferInsert,
    'moduleId' | 'slug' | 'title' | 'description' | 'position' | 'content'
  >,
): Promise<string> {
  const [row] = await db
    .insert(moduleNotebooks)
    .values(values)
    .returning({ id: moduleNotebooks.id });
  return row!.id;
}

export async function createModuleFile(
  db: Db,
  values: Pick<
    typeof moduleFiles.$inferInsert,
    'moduleId' | 'notebookId' | 'path' | 'mime' | 'sizeBytes' | 'content'
  >,
): Promise<void> {
  await db.insert(moduleFiles).values(values);
}
