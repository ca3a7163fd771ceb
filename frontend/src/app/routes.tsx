import { Navigate, useLocation, type RouteObject } from 'react-router';
import { AdminGate } from '../features/admin/components/AdminGate';
import { RedirectIfSignedIn } from '../features/auth/components/RedirectIfSignedIn';
import { RequireAuth } from '../features/auth/components/RequireAuth';
import { ForgotPasswordPage } from '../features/auth/pages/ForgotPasswordPage';
import { RegisterPage } from '../features/auth/pages/RegisterPage';
import { ResetPasswordPage } from '../features/auth/pages/ResetPasswordPage';
import { VerifyEmailPage } from '../features/auth/pages/VerifyEmailPage';
import { SignInPage } from '../features/auth/pages/SignInPage';
import { HomePage } from '../features/home/pages/HomePage';
import { ModulesPage } from '../features/learning/pages/ModulesPage';
import { ProfilePage } from '../features/profile/pages/ProfilePage';
import { AppShell } from './AppShell';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';

/** Addresses people type from habit ("go to /login"): the page they mean, with its query. */
function RedirectTo({ pathname }: { pathname: string }) {
  const { search } = useLocation();
  return <Navigate replace to={{ pathname, search }} />;
}

/** Shared by the browser router and the memory router tests render with. */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    // Shown while a lazily loaded page (the chat) arrives on a first visit straight to it.
    hydrateFallbackElement: (
      <p className="loading" role="status">
        Loading…
      </p>
    ),
    children: [
      {
        element: <RedirectIfSignedIn />,
        children: [
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'register', element: <RegisterPage /> },
        ],
      },
      ...['login', 'signin', 'log-in'].map((path) => ({
        path,
        element: <RedirectTo pathname="/sign-in" />,
      })),
      ...['signup', 'sign-up'].map((path) => ({
        path,
        element: <RedirectTo pathname="/register" />,
      })),
      // Opened from emailed links, signed in or not.
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'verify-email', element: <VerifyEmailPage /> },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <HomePage /> },
          {
            // One route with an optional id: the page (and its socket state) survives the move
            // from a new chat to the conversation its first question created. Loaded on demand,
            // so the socket client stays out of the first download.
            path: 'chat/:sessionId?',
            lazy: async () => ({
              Component: (await import('../features/chat/pages/ChatPage')).ChatPage,
            }),
          },
          { path: 'modules', element: <ModulesPage /> },
          {
            // Loaded on demand, with the socket client the tutor pane needs.
            path: 'modules/:moduleId/notebooks/:notebookId',
            lazy: async () => ({
              Component: (await import('../features/workspace/pages/WorkspacePage')).WorkspacePage,
            }),
          },
          {
            path: 'notebooks/:id',
            lazy: async () => ({
              Component: (await import('../features/workspace/pages/WorkspacePage')).WorkspacePage,
            }),
          },
          { path: 'profile', element: <ProfilePage /> },
          // The panel itself is a separate chunk that only admins ever download (see AdminGate).
          { path: 'admin/*', element: <AdminGate /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
