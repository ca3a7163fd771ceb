import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { modules } from '../../db/schema/index.js';
import { moduleVisibleToUser } from '../roster/group-visibility.query.js';

// The one writer of `modules`. Notebooks, data files and seeds have their own repositories.

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

const adminModuleColumns = {
  id: modules.id,
  slug: modules.slug,
  title: modules.title,
  description: modules.description,
  position: modules.position,
  published: modules.published,
  updatedAt: modules.updatedAt,
};
export type AdminModuleRow = {
  [K in keyof typeof adminModuleColumns]: (typeof modules.$inferSelect)[K];
};

/**
 * Students see published modules meant for everyone or for one of their groups; admins
 * (previewing) see all.
 */
export interface Visibility {
  includeUnpublished: boolean;
  /** The student whose groups decide; a module for some groups only is hidden without it. */
  userId?: string | undefined;
}

/** The filter on `modules` for a reader; module-notebooks.repository.ts applies it too. */
export const visibleModules = (visibility: Visibility) =>
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
    .where(visibleModules(visibility))
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
    .where(and(eq(modules.id, moduleId), visibleModules(visibility)));
  return row;
}

export function findAllModules(db: Db): Promise<AdminModuleRow[]> {
  return db
    .select(adminModuleColumns)
    .from(modules)
    .orderBy(asc(modules.position), asc(modules.title), asc(modules.id));
}

export async function findModuleById(db: Db, id: string): Promise<AdminModuleRow | undefined> {
  const [row] = await db.select(adminModuleColumns).from(modules).where(eq(modules.id, id));
  return row;
}

export async function findModuleBySlug(db: Db, slug: string): Promise<AdminModuleRow | undefined> {
  const [row] = await db.select(adminModuleColumns).from(modules).where(eq(modules.slug, slug));
  return row;
}

export function findModuleIds(db: Db) {
  return db.select({ id: modules.id }).from(modules);
}

export async function nextModulePosition(db: Db): Promise<number> {
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${modules.position}) + 1, 0)::int` })
    .from(modules);
  return Number(row?.next ?? 0);
}

/** Inserts a module unless its slug is taken; returns the new id, or undefined. */
export async function insertModule(
  db: Db,
  values: Pick<typeof modules.$inferInsert, 'slug' | 'title' | 'description' | 'position'> & {
    /** New modules start hidden; the starter module ships published. */
    published?: boolean;
    now: Date;
  },
): Promise<string | undefined> {
  const { now, published = false, ...rest } = values;
  const [row] = await db
    .insert(modules)
    .values({ ...rest, published, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: modules.slug })
    .returning({ id: modules.id });
  return row?.id;
}

export async function updateModuleRow(
  db: Db,
  id: string,
  patch: Partial<
    Pick<
      typeof modules.$inferInsert,
      'slug' | 'title' | 'description' | 'position' | 'published' | 'aiPolicy'
    >
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
