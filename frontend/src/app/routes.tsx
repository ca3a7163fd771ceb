import type { RouteObject } from 'react-router';
import { RedirectIfSignedIn } from '../features/auth/components/RedirectIfSignedIn';
import { RequireAuth } from '../features/auth/components/RequireAuth';
import { RegisterPage } from '../features/auth/pages/RegisterPage';
import { SignInPage } from '../features/auth/pages/SignInPage';
import { HomePage } from '../features/home/pages/HomePage';
import { ProfilePage } from '../features/profile/pages/ProfilePage';
import { AppShell } from './AppShell';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';

/** Shared by the browser router and the memory router tests render with. */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      {
        element: <RedirectIfSignedIn />,
        children: [
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'register', element: <RegisterPage /> },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'profile', element: <ProfilePage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
