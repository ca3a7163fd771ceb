import { useCallback, useEffect, useState } from 'react';
import type { ChatSession } from '@hintbook/contracts';
import { deleteSession, listSessions, renameSession } from '../api';

/** Typing pauses this long before the search goes to the server. */
const SEARCH_DELAY_MS = 250;

/** The sidebar's conversations: listed, searched by title, renamed and deleted. */
export function useSessions() {
  const [query, setQuery] = useState('');
  const [sessions, setSessions] = useState<ChatSession[]>([]);
  const [isLoading, setIsLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reloadCount, setReloadCount] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => {
        listSessions(query, controller.signal).then(
          (found) => {
            setSessions(found);
            setError(null);
            setIsLoading(false);
          },
          (caught: unknown) => {
            if (controller.signal.aborted) return;
            setError(caught instanceof Error ? caught.message : 'Could not load your chats.');
            setIsLoading(false);
          },
        );
      },
      query ? SEARCH_DELAY_MS : 0,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, reloadCount]);

  const reload = useCallback(() => setReloadCount((count) => count + 1), []);

  /** Throws the ApiError, so the form can show it beside the field. */
  const rename = useCallback(async (id: string, title: string) => {
    const renamed = await renameSession(id, title);
    setSessions((current) => current.map((session) => (session.id === id ? renamed : session)));
  }, []);

  const remove = useCallback(async (id: string) => {
    await deleteSession(id);
    setSessions((current) => current.filter((session) => session.id !== id));
  }, []);

  return { sessions, query, setQuery, isLoading, error, reload, rename, remove };
}

export type SessionsState = ReturnType<typeof useSessions>;
