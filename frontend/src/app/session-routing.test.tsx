import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorResponse, jsonResponse } from '../test/fetch-mock';
import {
  buildSession,
  buildUser,
  renderApp,
  renderSignedIn,
  renderSignedOut,
  stubFetch,
} from '../test/render-app';

describe('session and routing', () => {
  it('restores the session from the refresh cookie on page load', async () => {
    const { mock } = await renderSignedIn('/');

    expect(screen.getByRole('heading', { name: 'Welcome, ada' })).toBeTruthy();
    const [refresh] = mock.requestsTo('POST /api/auth/refresh');
    expect(refresh?.headers.get('x-hintbook-refresh')).toBe('1');
  });

  it('sends a signed-out visitor to sign in and back to the page they asked for', async () => {
    const { user, mock, router } = await renderSignedOut('/profile');

    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.search).toBe('?next=%2Fprofile');

    mock.on('POST /api/auth/login', jsonResponse(200, buildSession()));
    await user.type(screen.getByLabelText('Email'), 'ada@example.org');
    await user.type(screen.getByLabelText('Password'), 'a password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Your profile' })).toBeTruthy();
  });

  it('lands on sign-in, remembering the page, when the session cannot be refreshed', async () => {
    const { user, mock, router } = await renderSignedIn('/profile');
    mock.on('PATCH /api/auth/me', errorResponse(401, 'auth.token_expired', 'Expired'));
    mock.on('POST /api/auth/refresh', errorResponse(401, 'auth.refresh_invalid', 'Gone'));

    await user.clear(screen.getByLabelText('Username'));
    await user.type(screen.getByLabelText('Username'), 'ada_l');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Your session has ended');
    expect(router.state.location.search).toBe('?next=%2Fprofile');
  });

  it('signs out from the header and says so', async () => {
    const { user, mock } = await renderSignedIn('/');
    mock.on('POST /api/auth/logout', new Response(null, { status: 204 }));

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('You have signed out.');
    expect(mock.requestsTo('POST /api/auth/logout')[0]?.credentials).toBe('same-origin');
  });

  it('stays signed in and says so when sign-out cannot reach the server', async () => {
    const { user, mock } = await renderSignedIn('/');
    mock.on('POST /api/auth/logout', () => Promise.reject(new TypeError('Failed to fetch')));

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Could not reach Hintbook');
    expect(screen.getByRole('heading', { name: 'Welcome, ada' })).toBeTruthy();
  });

  it('offers a retry instead of a sign-in form when the server is unreachable at load', async () => {
    const mock = stubFetch();
    mock.on(
      'POST /api/auth/refresh',
      () => Promise.reject(new TypeError('Failed to fetch')),
      jsonResponse(200, buildSession({ user: buildUser({ username: 'grace' }) })),
    );
    const { user } = renderApp('/');

    expect(await screen.findByRole('heading', { name: 'Hintbook is not reachable' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    await waitFor(() =>
      expect(screen.getByRole('heading', { name: 'Welcome, grace' })).toBeTruthy(),
    );
  });

  it('takes the addresses people type from habit to the page they mean', async () => {
    const { router } = await renderSignedOut('/login?next=%2Fprofile');
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.search).toBe('?next=%2Fprofile');
  });

  it('shows a not-found page for unknown addresses', async () => {
    await renderSignedOut('/no/such/page');
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy();
  });
});
