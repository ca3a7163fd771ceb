import { Navigate, Outlet, useLocation } from 'react-router';
import type { SessionEndReason } from '../../../lib/api-client';
import { useAuth } from '../hooks/useAuth';

const notices: Record<SessionEndReason, string> = {
  expired: 'Your session has ended. Sign in again to pick up where you left off.',
  'signed-out': 'You have signed out.',
  'signed-out-everywhere': 'You have been signed out on all your devices.',
  'account-deleted': 'Your account and everything in it have been deleted.',
};

/** Lets signed-in users through; sends everyone else to sign in, remembering where they were. */
export function RequireAuth() {
  const { state } = useAuth();
  const location = useLocation();

  if (state.status === 'signed-in') return <Outlet />;
  // The shell shows the restoring and unavailable states; there is nothing to decide yet.
  if (state.status !== 'signed-out') return null;

  // Only an interrupted visit is worth resuming; after a deliberate sign-out, start fresh.
  const shouldResume = state.reason === null || state.reason === 'expired';
  const here = `${location.pathname}${location.search}${location.hash}`;
  const search = shouldResume && here !== '/' ? `?${new URLSearchParams({ next: here })}` : '';
  const notice = state.reason ? notices[state.reason] : null;
  return <Navigate replace to={{ pathname: '/sign-in', search }} state={{ notice }} />;
}
