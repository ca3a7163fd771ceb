import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { NotebookStatus } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { moduleNotebooks, modules, notebookCopies } from '../../db/schema/index.js';

const copyColumns = {
  id: notebookCopies.id,
  moduleNotebookId: notebookCopies.moduleNotebookId,
  content: notebookCopies.content,
  version: notebookCopies.version,
  sourceVersion: notebookCopies.sourceVersion,
  status: notebookCopies.status,
  createdAt: notebookCopies.createdAt,
  updatedAt: notebookCopies.updatedAt,
};
export type CopyRow = { [K in keyof typeof copyColumns]: (typeof notebookCopies.$inferSelect)[K] };

/** The caller's copy; there is no way to name another student's. */
export async function findCopy(
  db: Db,
  userId: string,
  moduleNotebookId: string,
): Promise<CopyRow | undefined> {
  const [row] = await db
    .select(copyColumns)
    .from(notebookCopies)
    .where(
      and(eq(notebookCopies.userId, userId), eq(notebookCopies.moduleNotebookId, moduleNotebookId)),
    );
  return row;
}

/** Only the save counter of the caller's copy: what a conflicting save answers with. */
export async function findCopyVersion(
  db: Db,
  userId: string,
  moduleNotebookId: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ version: notebookCopies.version })
    .from(notebookCopies)
    .where(
      and(eq(notebookCopies.userId, userId), eq(notebookCopies.moduleNotebookId, moduleNotebookId)),
    );
  return row?.version;
}

/** First open: two tabs opening at once both end up with the one copy. */
export async function createCopyIfMissing(
  db: Db,
  values: Pick<
    typeof notebookCopies.$inferInsert,
    'userId' | 'moduleNotebookId' | 'content' | 'sizeBytes' | 'sourceVersion'
  >,
): Promise<void> {
  await db
    .insert(notebookCopies)
    .values(values)
    .onConflictDoNothing({ target: [notebookCopies.userId, notebookCopies.moduleNotebookId] });
}

/** Progress on the given notebooks, for the module list. */
export function listCopyProgress(db: Db, userId: string, moduleNotebookIds: string[]) {
  if (moduleNotebookIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: notebookCopies.id,
      moduleNotebookId: notebookCopies.moduleNotebookId,
      status: notebookCopies.status,
      updatedAt: notebookCopies.updatedAt,
    })
    .from(notebookCopies)
    .where(
      and(
        eq(notebookCopies.userId, userId),
        inArray(notebookCopies.moduleNotebookId, moduleNotebookIds),
      ),
    );
}

/**
 * Saves only if nobody saved since `baseVersion` (compare-and-set in one statement); undefined
 * means the version moved on. The first save also marks an untouched notebook in progress.
 */
export async function saveCopyContent(
  db: Db,
  input: {
    userId: string;
    moduleNotebookId: string;
    baseVersion: number;
    content: unknown;
    sizeBytes: number;
    now: Date;
  },
) {
  const [row] = await db
    .update(notebookCopies)
    .set({
      content: input.content,
      sizeBytes: input.sizeBytes,
      version: sql`${notebookCopies.version} + 1`,
      status: sql`case when ${notebookCopies.status} = 'not_started' then 'in_progress' else ${notebookCopies.status} end`,
      updatedAt: input.now,
    })
    .where(
      and(
        eq(notebookCopies.userId, input.userId),
        eq(notebookCopies.moduleNotebookId, input.moduleNotebookId),
        eq(notebookCopies.version, input.baseVersion),
      ),
    )
    .returning({
      version: notebookCopies.version,
      status: notebookCopies.status,
      updatedAt: notebookCopies.updatedAt,
    });
  return row;
}

export async function updateCopyStatus(
  db: Db,
  userId: string,
  moduleNotebookId: string,
  status: NotebookStatus,
  now: Date,
) {
  const [row] = await db
    .update(notebookCopies)
    .set({ status, updatedAt: now })
    .where(
      and(eq(notebookCopies.userId, userId), eq(notebookCopies.moduleNotebookId, moduleNotebookId)),
    )
    .returning({ status: notebookCopies.status, updatedAt: notebookCopies.updatedAt });
  return row;
}

/**
 * Puts the original's content back. The save counter keeps counting (a tab still holding the
 * old version gets a conflict instead of overwriting the reset), and the copy now follows
 * `sourceVersion` of the original.
 */
export async function resetCopyContent(
  db: Db,
  input: {
    userId: string;
    moduleNotebookId: string;
    content: unknown;
    sizeBytes: number;
    sourceVersion: number;
    now: Date;
  },
): Promise<void> {
  await db
    .update(notebookCopies)
    .set({
      content: input.content,
      sizeBytes: input.sizeBytes,
      sourceVersion: input.sourceVersion,
      version: sql`${notebookCopies.version} + 1`,
      updatedAt: input.now,
    })
    .where(
      and(
        eq(notebookCopies.userId, input.userId),
        eq(notebookCopies.moduleNotebookId, input.moduleNotebookId),
      ),
    );
}

/** "Keep my work": the notice about a newer original goes away, the content stays. */
export async function updateCopySourceVersion(
  db: Db,
  userId: string,
  moduleNotebookId: string,
  sourceVersion: number,
): Promise<void> {
  await db
    .update(notebookCopies)
    .set({ sourceVersion })
    .where(
      and(eq(notebookCopies.userId, userId), eq(notebookCopies.moduleNotebookId, moduleNotebookId)),
    );
}

/** Every copy the user has, with where it came from (data export). */
export function listCopiesForUser(db: Db, userId: string) {
  return db
    .select({
      id: notebookCopies.id,
      module: modules.title,
      notebook: moduleNotebooks.title,
      status: notebookCopies.status,
      version: notebookCopies.version,
      content: notebookCopies.content,
      createdAt: notebookCopies.createdAt,
      updatedAt: notebookCopies.updatedAt,
    })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(eq(notebookCopies.userId, userId))
    .orderBy(asc(modules.position), asc(moduleNotebooks.position));
}
