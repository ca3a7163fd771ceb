import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../lib/api-client';
import { messageOf } from './useAdminData';

interface Page<T> {
  items: T[];
  nextBefore: string | null;
}

export interface PagedList<T> {
  items: T[];
  status: 'loading' | 'ready' | 'forbidden' | 'failed';
  message: string | null;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  replace(item: T, matches: (existing: T) => boolean): void;
}

/** A newest-first list paged with the API's `before` cursor; `key` restarts it (new filters). */
export function usePagedList<T>(
  load: (before: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  key: string,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<{ key: string; before?: string; generation: number }>({
    key,
    generation: 0,
  });
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [status, setStatus] = useState<PagedList<T>['status']>('loading');
  const [message, setMessage] = useState<string | null>(null);

  // New filters: start again from the newest page (state adjusted while rendering, not in an effect).
  if (cursor.key !== key) {
    setCursor({ key, generation: cursor.generation + 1 });
    setStatus('loading');
  }

  useEffect(() => {
    const controller = new AbortController();
    load(cursor.before, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems((current) =>
          cursor.before === undefined ? page.items : [...current, ...page.items],
        );
        setNextBefore(page.nextBefore);
        setStatus('ready');
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setStatus(error instanceof ApiError && error.status === 403 ? 'forbidden' : 'failed');
        setMessage(messageOf(error));
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure every render; the cursor says what to fetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cursor]);

  const loadMore = useCallback(() => {
    if (!nextBefore) return;
    setStatus('loading');
    setCursor((current) => ({
      ...current,
      before: nextBefore,
      generation: current.generation + 1,
    }));
  }, [nextBefore]);
  const reload = useCallback(() => {
    setStatus('loading');
    setCursor((current) => ({ key: current.key, generation: current.generation + 1 }));
  }, []);
  const replace = useCallback((item: T, matches: (existing: T) => boolean) => {
    setItems((current) => current.map((existing) => (matches(existing) ? item : existing)));
  }, []);

  return { items, status, message, hasMore: nextBefore !== null, loadMore, reload, replace };
}
