import { Navigate, Outlet, useSearchParams } from 'react-router';
import { safeNextPath } from '../../../lib/safe-redirect';
import { useAuth } from '../hooks/useAuth';

/**
 * Wraps sign-in and register: once a session exists (just signed in, or already was), go to the
 * remembered page. The forms therefore never navigate themselves.
 */
export function RedirectIfSignedIn() {
  const { state } = useAuth();
  const [searchParams] = useSearchParams();
  if (state.status === 'signed-in') {
    return <Navigate replace to={safeNextPath(searchParams.get('next'))} />;
  }
  return <Outlet />;
}
