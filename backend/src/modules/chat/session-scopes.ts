import type { SessionRow } from './sessions.repository.js';

/** How many conversations one process remembers (about 100 bytes each). */
export const SESSION_SCOPES_MAX = 20_000;

export type SessionScope = Pick<SessionRow, 'scope' | 'notebookId'>;

/**
 * The scope and notebook of conversations this process has read or created, so a follow-up's
 * rules and course search start at once instead of after the session read (turn.service.ts).
 * Both are fixed when a conversation is created, so a remembered entry is never wrong, on any
 * replica; it never replaces the read itself, which still decides whether the send is accepted
 * (a deleted or foreign session is refused and the reads started early are dropped).
 */
export interface SessionScopes {
  get(userId: string, sessionId: string): SessionScope | undefined;
  remember(session: Pick<SessionRow, 'id' | 'userId' | 'scope' | 'notebookId'>): void;
}

export function createSessionScopes(max = SESSION_SCOPES_MAX): SessionScopes {
  // Insertion order: the oldest entry goes first when full (a Map iterates in that order).
  const scopes = new Map<string, { userId: string; scope: SessionScope }>();
  return {
    get(userId, sessionId) {
      const entry = scopes.get(sessionId);
      return entry && entry.userId === userId ? entry.scope : undefined;
    },
    remember(session) {
      if (scopes.has(session.id)) return;
      if (scopes.size >= max) scopes.delete(scopes.keys().next().value!);
      scopes.set(session.id, {
        userId: session.userId,
        scope: { scope: session.scope, notebookId: session.notebookId },
      });
    },
  };
}
