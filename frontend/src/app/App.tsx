import type { DataRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AuthProvider } from '../features/auth/components/AuthProvider';
import { ErrorBoundary } from './ErrorBoundary';

/** The providers every page relies on; `router` is a browser router in the app, memory in tests. */
export function App({ router }: { router: DataRouter }) {
  return (
    <ErrorBoundary>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </ErrorBoundary>
  );
}
