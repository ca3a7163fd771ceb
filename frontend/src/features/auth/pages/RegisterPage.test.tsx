import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { buildSession, descriptionOf, renderSignedOut } from '../../../test/render-app';

async function fillValidForm(user: UserEvent) {
  await user.type(screen.getByLabelText('Email'), 'ada@example.org');
  await user.type(screen.getByLabelText('Username'), 'ada');
  await user.type(screen.getByLabelText('Password'), 'correct horse battery');
  const programming = screen.getByRole('group', { name: 'How much programming have you done?' });
  await user.click(within(programming).getByRole('radio', { name: /Confident/ }));
}

describe('RegisterPage', () => {
  it('shows validation.failed details beside the fields and focuses the first one', async () => {
    const { user, mock } = await renderSignedOut('/register');
    mock.on(
      'POST /api/auth/register',
      errorResponse(400, 'validation.failed', 'Some fields need attention', [
        { path: 'email', message: 'Use your school email address' },
        { path: 'username', message: 'That username is reserved' },
      ]),
    );

    await fillValidForm(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(email)).toContain('Use your school email address');
    expect(descriptionOf(screen.getByLabelText('Username'))).toContain('That username is reserved');
    expect(screen.getByLabelText('Password').hasAttribute('aria-invalid')).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(email));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(mock.requestsTo('POST /api/auth/register')[0]?.body).toEqual({
      email: 'ada@example.org',
      username: 'ada',
      password: 'correct horse battery',
      programmingLevel: 4,
      mathsLevel: 2,
    });
  });

  it('puts an error code about one field beside that field', async () => {
    const { user, mock } = await renderSignedOut('/register');
    mock.on(
      'POST /api/auth/register',
      errorResponse(409, 'auth.username_taken', 'That username is already taken'),
    );

    await fillValidForm(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const username = screen.getByLabelText('Username');
    await waitFor(() => expect(username.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(username)).toContain('That username is already taken');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows any other error code as an alert above the form', async () => {
    const { user, mock } = await renderSignedOut('/register');
    mock.on(
      'POST /api/auth/register',
      errorResponse(403, 'auth.registration_closed', 'Registration is closed on this server'),
    );

    await fillValidForm(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Registration is closed on this server');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(screen.getByLabelText('Email').hasAttribute('aria-invalid')).toBe(false);
  });

  it('catches a short password before asking the server', async () => {
    const { user, mock } = await renderSignedOut('/register');

    await fillValidForm(user);
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const password = screen.getByLabelText('Password');
    await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(password)).toContain('At least 10 characters');
    expect(mock.requestsTo('POST /api/auth/register')).toHaveLength(0);
  });

  it('signs the new user in and goes to the page they first asked for', async () => {
    const { user, mock, router } = await renderSignedOut('/register?next=%2Fprofile');
    mock.on('POST /api/auth/register', jsonResponse(201, buildSession()));

    await fillValidForm(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { name: 'Your profile' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/profile');
  });
});
