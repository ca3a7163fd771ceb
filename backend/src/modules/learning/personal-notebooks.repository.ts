import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personalNotebooks, users } from '../../db/schema/index.js';

const summaryColumns = {
  id: personalNotebooks.id,
  title: personalNotebooks.title,
  version: personalNotebooks.version,
  sizeBytes: personalNotebooks.sizeBytes,
  createdAt: personalNotebooks.createdAt,
  updatedAt: personalNotebooks.updatedAt,
};
export type PersonalNotebookSummaryRow = {
  [K in keyof typeof summaryColumns]: (typeof personalNotebooks.$inferSelect)[K];
};
export type PersonalNotebookRow = PersonalNotebookSummaryRow & { content: unknown };

const fullColumns = { ...summaryColumns, content: personalNotebooks.content };

const owned = (userId: string, notebookId: string) =>
  and(eq(personalNotebooks.id, notebookId), eq(personalNotebooks.userId, userId));

/** Newest first, without content. */
export function listPersonalNotebooks(
  db: Db,
  userId: string,
): Promise<PersonalNotebookSummaryRow[]> {
  return db
    .select(summaryColumns)
    .from(personalNotebooks)
    .where(eq(personalNotebooks.userId, userId))
    .orderBy(desc(personalNotebooks.updatedAt), desc(personalNotebooks.id));
}

/** With content: data export. */
export function listPersonalNotebooksWithContent(
  db: Db,
  userId: string,
): Promise<PersonalNotebookRow[]> {
  return db
    .select(fullColumns)
    .from(personalNotebooks)
    .where(eq(personalNotebooks.userId, userId))
    .orderBy(desc(personalNotebooks.createdAt));
}

export async function countPersonalNotebooks(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(personalNotebooks)
    .where(eq(personalNotebooks.userId, userId));
  return row?.total ?? 0;
}

/**
 * Holds the user's row until the transaction ends, so two uploads at once are counted one
 * after the other and the per-user limit cannot be overshot.
 */
export async function lockUserForNotebookCreation(db: Db, userId: string): Promise<void> {
  await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}

/** Only if it belongs to `userId`: another student's notebook looks exactly like a missing one. */
export async function findPersonalNotebook(
  db: Db,
  userId: string,
  notebookId: string,
): Promise<PersonalNotebookRow | undefined> {
  const [row] = await db
    .select(fullColumns)
    .from(personalNotebooks)
    .where(owned(userId, notebookId));
  return row;
}

export async function findPersonalNotebookVersion(
  db: Db,
  userId: string,
  notebookId: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ version: personalNotebooks.version })
    .from(personalNotebooks)
    .where(owned(userId, notebookId));
  return row?.version;
}

export async function createPersonalNotebook(
  db: Db,
  values: Pick<
    typeof personalNotebooks.$inferInsert,
    'userId' | 'title' | 'content' | 'sizeBytes' | 'createdAt' | 'updatedAt'
  >,
): Promise<PersonalNotebookRow> {
  const [row] = await db.insert(personalNotebooks).values(values).returning(fullColumns);
  return row!;
}

/** Compare-and-set on `version`; undefined when missing, foreign or saved since `baseVersion`. */
export async function savePersonalNotebookContent(
  db: Db,
  input: {
    userId: string;
    notebookId: string;
    baseVersion: number;
    content: unknown;
    sizeBytes: number;
    now: Date;
  },
) {
  const [row] = await db
    .update(personalNotebooks)
    .set({
      content: input.content,
      sizeBytes: input.sizeBytes,
      version: sql`${personalNotebooks.version} + 1`,
      updatedAt: input.now,
    })
    .where(
      and(owned(input.userId, input.notebookId), eq(personalNotebooks.version, input.baseVersion)),
    )
    .returning({ version: personalNotebooks.version, updatedAt: personalNotebooks.updatedAt });
  return row;
}

export async function renamePersonalNotebook(
  db: Db,
  userId: string,
  notebookId: string,
  title: string,
  now: Date,
): Promise<PersonalNotebookRow | undefined> {
  const [row] = await db
    .update(personalNotebooks)
    .set({ title, updatedAt: now })
    .where(owned(userId, notebookId))
    .returning(fullColumns);
  return row;
}

export async function deletePersonalNotebook(
  db: Db,
  userId: string,
  notebookId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(personalNotebooks)
    .where(owned(userId, notebookId))
    .returning({ id: personalNotebooks.id });
  return deleted.length > 0;
}

/** A notebook with its owner and content, for the tutor's retrieval index. */
export async function findPersonalNotebookForIndexing(db: Db, notebookId: string) {
  const [row] = await db
    .select({
      id: personalNotebooks.id,
      userId: personalNotebooks.userId,
      title: personalNotebooks.title,
      content: personalNotebooks.content,
    })
    .from(personalNotebooks)
    .where(eq(personalNotebooks.id, notebookId));
  return row;
}

export function findPersonalNotebookIds(db: Db) {
  return db.select({ id: personalNotebooks.id }).from(personalNotebooks);
}
