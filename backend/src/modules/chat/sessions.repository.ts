import { and, desc, eq, ilike, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatSessions } from '../../db/schema/index.js';

/** Every column of a session, as `findOwnedSession` reads it. */
export const sessionColumns = {
  id: chatSessions.id,
  userId: chatSessions.userId,
  title: chatSessions.title,
  scope: chatSessions.scope,
  notebookId: chatSessions.notebookId,
  pedagogy: chatSessions.pedagogy,
  summary: chatSessions.summary,
  summarizedThroughSeq: chatSessions.summarizedThroughSeq,
  createdAt: chatSessions.createdAt,
  updatedAt: chatSessions.updatedAt,
  lastMessageAt: chatSessions.lastMessageAt,
};

export type SessionRow = typeof chatSessions.$inferSelect;
export type NewSessionRow = typeof chatSessions.$inferInsert;

/** A session only if it belongs to `userId`: another user's id looks exactly like a missing one. */
export async function findOwnedSession(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select(sessionColumns)
    .from(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.userId, userId)));
  return row;
}

export async function listSessions(
  db: Db,
  userId: string,
  options: {
    search?: string | undefined;
    scope?: SessionRow['scope'] | undefined;
    notebookId?: string | undefined;
    limit: number;
  },
): Promise<SessionRow[]> {
  const search = options.search?.trim();
  return db
    .select(sessionColumns)
    .from(chatSessions)
    .where(
      and(
        eq(chatSessions.userId, userId),
        search ? ilike(chatSessions.title, `%${escapeLike(search)}%`) : undefined,
        options.scope ? eq(chatSessions.scope, options.scope) : undefined,
        options.notebookId ? eq(chatSessions.notebookId, options.notebookId) : undefined,
      ),
    )
    .orderBy(
      desc(sql`coalesce(${chatSessions.lastMessageAt}, ${chatSessions.createdAt})`),
      desc(chatSessions.createdAt),
    )
    .limit(options.limit);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

export async function createSession(
  db: Db,
  values: Pick<
    typeof chatSessions.$inferInsert,
    'userId' | 'title' | 'scope' | 'notebookId' | 'lastMessageAt' | 'updatedAt'
  >,
): Promise<SessionRow> {
  const [row] = await db.insert(chatSessions).values(values).returning(sessionColumns);
  return row!;
}

export async function renameSession(
  db: Db,
  userId: string,
  sessionId: string,
  title: string,
  now: Date,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .update(chatSessions)
    .set({ title, updatedAt: now })
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.userId, userId)))
    .returning(sessionColumns);
  return row;
}

export async function deleteSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const deleted = await db
    .delete(chatSessions)
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.userId, userId)))
    .returning({ id: chatSessions.id });
  return deleted.length > 0;
}

export async function updateSessionPedagogy(
  db: Db,
  sessionId: string,
  pedagogy: unknown,
): Promise<void> {
  await db.update(chatSessions).set({ pedagogy }).where(eq(chatSessions.id, sessionId));
}

/**
 * The session's pedagogy state with the row locked until the transaction ends, so a completing
 * turn and a late classification never overwrite each other. Pass a transaction.
 */
export async function findSessionPedagogyForUpdate(
  db: Db,
  sessionId: string,
): Promise<{ pedagogy: unknown } | undefined> {
  const [row] = await db
    .select({ pedagogy: chatSessions.pedagogy })
    .from(chatSessions)
    .where(eq(chatSessions.id, sessionId))
    .for('update');
  return row;
}

export async function updateSessionSummary(
  db: Db,
  sessionId: string,
  summary: string,
  summarizedThroughSeq: number,
): Promise<void> {
  await db
    .update(chatSessions)
    .set({ summary, summarizedThroughSeq })
    .where(eq(chatSessions.id, sessionId));
}

export async function touchSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db
    .update(chatSessions)
    .set({ lastMessageAt: now, updatedAt: now })
    .where(eq(chatSessions.id, sessionId));
}
