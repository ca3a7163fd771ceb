import { lazy, Suspense } from 'react';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { NotForYouPage } from './NotForYouPage';

// React.lazy, not the route's `lazy`: the router would fetch a route module for every visitor of
// the address, while this only fetches the admin chunk once the user is known to be an admin.
const AdminApp = lazy(async () => ({ default: (await import('../AdminApp')).AdminApp }));

/** `/admin/*`: the admin panel for admins; for everyone else a page saying it is not for them. */
export function AdminGate() {
  const user = useCurrentUser();
  if (!user.isAdmin) return <NotForYouPage />;
  return (
    <Suspense
      fallback={
        <p className="loading" role="status">
          Loading the admin panel…
        </p>
      }
    >
      <AdminApp />
    </Suspense>
  );
}
