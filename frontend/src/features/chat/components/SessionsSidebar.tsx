import { useId, useRef } from 'react';
import type { SessionsState } from '../hooks/useSessions';
import { SessionItem } from './SessionItem';

interface SessionsSidebarProps {
  id: string;
  sessions: SessionsState;
  /** On a phone the sidebar is a panel the page opens and closes. */
  isOpen: boolean;
  onNewChat(): void;
  /** A conversation was picked: a phone-width page closes the panel. */
  onOpenSession(): void;
  /** Called after a delete succeeded, so the page can leave a conversation that is gone. */
  onDeleted(sessionId: string): void;
}

/** The student's conversations: start a new one, find, rename or delete an old one. */
export function SessionsSidebar({
  id,
  sessions,
  isOpen,
  onNewChat,
  onOpenSession,
  onDeleted,
}: SessionsSidebarProps) {
  const searchId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const { sessions: list, query, setQuery, isLoading, error, rename, remove } = sessions;

  async function handleDelete(sessionId: string) {
    await remove(sessionId);
    // The deleted item took focus with it; the search box is a stable place to land.
    searchRef.current?.focus();
    onDeleted(sessionId);
  }

  return (
    <nav id={id} className={isOpen ? 'sessions sessions-open' : 'sessions'} aria-label="Your chats">
      <button type="button" className="button button-primary sessions-new" onClick={onNewChat}>
        New chat
      </button>
      <div className="sessions-search" role="search">
        <label className="field-label" htmlFor={searchId}>
          Search chats
        </label>
        <input
          id={searchId}
          ref={searchRef}
          className="input"
          type="search"
          value={query}
          placeholder="By title"
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : isLoading ? (
        <p className="sessions-empty">Loading your chats…</p>
      ) : list.length === 0 ? (
        <p className="sessions-empty" role="status">
          {query.trim() ? `No chat titles match “${query.trim()}”.` : 'No chats yet.'}
        </p>
      ) : (
        <ul className="sessions-list">
          {list.map((session) => (
            <SessionItem
              key={session.id}
              session={session}
              onOpen={onOpenSession}
              onRename={(title) => rename(session.id, title)}
              onDelete={() => handleDelete(session.id)}
            />
          ))}
        </ul>
      )}
    </nav>
  );
}
