import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../lib/api-client';
import { messageOf } from '../lib/form-errors';

export type AdminData<T> =
  | { status: 'loading' }
  | { status: 'forbidden' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; data: T };

export interface UseAdminDataResult<T> {
  state: AdminData<T>;
  /** Fetches again (after a change), keeping the current data on screen meanwhile. */
  reload(): void;
  /** Replaces the data with what a mutation returned, without a round trip. */
  setData(data: T): void;
}

/**
 * Loads one admin resource: aborted on unmount or when `key` changes, a 403 told apart from
 * other failures so the page can say "not for you" instead of "try again".
 */
export function useAdminData<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
): UseAdminDataResult<T> {
  const [state, setState] = useState<AdminData<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 403) {
          setState({ status: 'forbidden' });
          return;
        }
        setState({ status: 'failed', message: messageOf(error) });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure every render; `key` says when it asks for something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const setData = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { state, reload, setData };
}

export { messageOf };
