import { render, screen } from '@testing-library/react';
import type { JSXElementConstructor, ReactNode } from 'react';
import { vi } from 'vitest';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter } from 'react-router';
import type { AuthSessionResponse, PublicUser } from '@hintbook/contracts';
import { App } from '../app/App';
import { routes } from '../app/routes';
import { createFetchMock, jsonResponse } from './fetch-mock';

export function buildUser(overrides: Partial<PublicUser> = {}): PublicUser {
  return {
    id: 'user-1',
    email: 'ada@example.org',
    username: 'ada',
    isAdmin: false,
    emailVerified: true,
    programmingLevel: 2,
    mathsLevel: 3,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function buildSession(overrides: Partial<AuthSessionResponse> = {}): AuthSessionResponse {
  return {
    user: buildUser(),
    accessToken: 'access-1',
    accessTokenExpiresAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export interface RenderAppOptions {
  /** Extra providers around the app, e.g. a fake realtime connection. */
  wrapper?: JSXElementConstructor<{ children: ReactNode }>;
}

/** Renders the whole app (providers, real routes, real API client) at `path`. */
export function renderApp(path: string, options: RenderAppOptions = {}) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup();
  return { router, user, ...render(<App router={router} />, { wrapper: options.wrapper }) };
}

/** The text of everything an element is described by, as a screen reader would read it out. */
export function descriptionOf(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
  return ids
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
}

/** Stubs the global fetch with a fresh mock for the app's own API client. */
export function stubFetch() {
  const mock = createFetchMock();
  vi.stubGlobal('fetch', mock.fetch);
  return mock;
}

/** Renders the app at `path` with no session to restore (a first visit). */
export async function renderSignedOut(
  path: string,
  options: { beforeRender?(mock: ReturnType<typeof stubFetch>): void } = {},
) {
  const mock = stubFetch();
  // What the server answers a browser without a session cookie.
  mock.on('POST /api/auth/refresh', new Response(null, { status: 204 }));
  options.beforeRender?.(mock);
  const rendered = renderApp(path);
  await screen.findByRole('heading', { level: 1 });
  return { ...rendered, mock };
}

/** Renders the app at `path` after the silent refresh restored `session`. */
export async function renderSignedIn(
  path: string,
  session = buildSession(),
  options: RenderAppOptions & { beforeRender?(mock: ReturnType<typeof stubFetch>): void } = {},
) {
  const mock = stubFetch();
  mock.on('POST /api/auth/refresh', jsonResponse(200, session));
  options.beforeRender?.(mock);
  const rendered = renderApp(path, options);
  await screen.findByRole('heading', { level: 1 });
  return { ...rendered, mock };
}
