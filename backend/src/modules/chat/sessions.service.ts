import type { ListMessagesQuery, ListSessionsQuery } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { sessionNotFound } from './chat.errors.js';
import { listVisibleMessages } from './messages.repository.js';
import {
  createSession,
  deleteSession,
  findOwnedSession,
  listSessions,
  renameSession,
  type SessionRow,
} from './sessions.repository.js';

export interface SessionsDeps {
  db: Db;
  clock: Clock;
}

export function listMySessions(deps: SessionsDeps, userId: string, query: ListSessionsQuery = {}) {
  return listSessions(deps.db, userId, {
    search: query.q,
    scope: query.scope,
    notebookId: query.notebookId,
    limit: 200,
  });
}

export function startSession(deps: SessionsDeps, userId: string, title = 'New conversation') {
  return createSession(deps.db, { userId, title, scope: 'general', notebookId: null });
}

export async function getMySession(
  deps: SessionsDeps,
  userId: string,
  sessionId: string,
): Promise<SessionRow> {
  const session = await findOwnedSession(deps.db, userId, sessionId);
  if (!session) throw sessionNotFound();
  return session;
}

export async function renameMySession(
  deps: SessionsDeps,
  userId: string,
  sessionId: string,
  title: string,
) {
  const session = await renameSession(deps.db, userId, sessionId, title, deps.clock());
  if (!session) throw sessionNotFound();
  return session;
}

export async function deleteMySession(
  deps: SessionsDeps,
  userId: string,
  sessionId: string,
): Promise<void> {
  if (!(await deleteSession(deps.db, userId, sessionId))) throw sessionNotFound();
}

/** One page of a conversation, oldest first; `nextCursor` pages further back. */
export async function pageMessages(
  deps: SessionsDeps,
  userId: string,
  sessionId: string,
  query: ListMessagesQuery,
) {
  await getMySession(deps, userId, sessionId);
  const beforeSeq = query.before && /^\d+$/.test(query.before) ? Number(query.before) : undefined;
  const rows = await listVisibleMessages(deps.db, sessionId, { beforeSeq, limit: query.limit + 1 });
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(1) : rows;
  return { rows: page, nextCursor: hasMore ? String(page[0]!.seq) : null };
}
