import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { PublicUser } from '@hintbook/contracts';
import { ApiError, apiClient } from '../../../lib/api-client';
import { restoreSession } from '../api';
import { AuthContext, type AuthState } from '../auth-context';

/**
 * Mirrors the API client's session into React state. The client is the source of truth: any
 * request that ends the session (a failed refresh anywhere) flips the whole app to signed out.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'restoring' });

  useEffect(
    () =>
      apiClient.subscribe((event) => {
        setState(
          event.type === 'started'
            ? { status: 'signed-in', user: event.session.user }
            : { status: 'signed-out', reason: event.reason },
        );
      }),
    [],
  );

  // Success arrives through the subscription above; only failures are handled here.
  const restore = useCallback(() => {
    restoreSession().catch((error: unknown) => {
      setState((current) => {
        if (current.status !== 'restoring') return current; // signed in meanwhile
        if (error instanceof ApiError && error.isTransient) {
          return { status: 'unavailable', message: error.message };
        }
        return { status: 'signed-out', reason: null };
      });
    });
  }, []);

  useEffect(() => {
    restore();
  }, [restore]);

  const retryRestore = useCallback(() => {
    setState({ status: 'restoring' });
    restore();
  }, [restore]);

  const setUser = useCallback((user: PublicUser) => {
    setState((current) => (current.status === 'signed-in' ? { ...current, user } : current));
  }, []);

  const value = useMemo(() => ({ state, retryRestore, setUser }), [state, retryRestore, setUser]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
