import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { buildSession, renderSignedOut } from '../../../test/render-app';

describe('SignInPage', () => {
  it('can be filled in and submitted with the keyboard alone', async () => {
    const { user, mock } = await renderSignedOut('/sign-in');
    mock.on('POST /api/auth/login', jsonResponse(200, buildSession()));

    // Arriving focuses the page heading; the form follows in tab order.
    const heading = screen.getByRole('heading', { name: 'Sign in' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
    await user.keyboard('ada@example.org');
    await user.tab();
    await user.keyboard('a password{Enter}');

    expect(await screen.findByRole('heading', { name: 'Welcome, ada' })).toBeTruthy();
    expect(mock.requestsTo('POST /api/auth/login')[0]?.body).toEqual({
      email: 'ada@example.org',
      password: 'a password',
    });
  });

  it('shows wrong credentials as an alert and keeps what was typed in the email field', async () => {
    const { user, mock } = await renderSignedOut('/sign-in');
    mock.on(
      'POST /api/auth/login',
      errorResponse(401, 'auth.invalid_credentials', 'Wrong email or password'),
    );

    await user.type(screen.getByLabelText('Email'), 'ada@example.org');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Wrong email or password');
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('ada@example.org');
    // A 401 at sign-in must never be answered with a refresh attempt.
    expect(mock.requestsTo('POST /api/auth/refresh')).toHaveLength(1);
  });

  it('passes on the lockout message, which says when to try again', async () => {
    const { user, mock } = await renderSignedOut('/sign-in');
    mock.on(
      'POST /api/auth/login',
      errorResponse(423, 'auth.account_locked', 'Too many attempts. Try again in 15 minutes.'),
    );

    await user.type(screen.getByLabelText('Email'), 'ada@example.org');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Try again in 15 minutes.');
  });

  it('asks for both fields without calling the server', async () => {
    const { user, mock } = await renderSignedOut('/sign-in');

    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(mock.requestsTo('POST /api/auth/login')).toHaveLength(0);
  });

  it('never follows a next parameter off the site', async () => {
    const { user, mock, router } = await renderSignedOut('/sign-in?next=%2F%2Fevil.example');
    mock.on('POST /api/auth/login', jsonResponse(200, buildSession()));

    await user.type(screen.getByLabelText('Email'), 'ada@example.org');
    await user.type(screen.getByLabelText('Password'), 'a password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('heading', { name: 'Welcome, ada' });
    expect(router.state.location.pathname).toBe('/');
  });
});
