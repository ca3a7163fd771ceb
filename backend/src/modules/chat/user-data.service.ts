import type { Db } from '../../db/client.js';
import { listGuardTripsForUser } from './guard-trips.repository.js';
import { listMessagesForUser } from './messages.repository.js';
import { findUserPedagogy } from './pedagogy.repository.js';
import { listSessions } from './sessions.repository.js';

/**
 * Chat's sections of a student's data export (account.service composes every domain's): the
 * conversations with their messages, the tutor's levels, and the answers the guard held back.
 */
export async function exportUserData(db: Db, userId: string) {
  return {
    conversations: await exportConversations(db, userId),
    tutorLevels: (await findUserPedagogy(db, userId)) ?? null,
    guardTrips: await listGuardTripsForUser(db, userId),
  };
}

async function exportConversations(db: Db, userId: string) {
  const [sessions, allMessages] = await Promise.all([
    listSessions(db, userId, { limit: 100_000 }),
    listMessagesForUser(db, userId),
  ]);
  return sessions.map((session) => ({
    id: session.id,
    title: session.title,
    scope: session.scope,
    createdAt: session.createdAt.toISOString(),
    summary: session.summary,
    messages: allMessages
      .filter((message) => message.sessionId === session.id)
      .map(({ sessionId: _sessionId, ...message }) => message),
  }));
}
