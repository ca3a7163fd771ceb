import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { stubBlobDownloads } from '../../../test/blob-downloads';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, descriptionOf, renderSignedIn } from '../../../test/render-app';

function detailsForm() {
  return within(screen.getByRole('form', { name: 'Your details' }));
}

describe('ProfilePage: your details', () => {
  it('shows validation.failed details beside the fields they are about', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on(
      'PATCH /api/auth/me',
      errorResponse(400, 'validation.failed', 'Some fields need attention', [
        { path: 'username', message: 'Letters, digits, dot, dash and underscore only' },
      ]),
    );

    const username = detailsForm().getByLabelText('Username');
    await user.clear(username);
    await user.type(username, 'ada_lovelace');
    await user.click(detailsForm().getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(username.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(username)).toContain('Letters, digits, dot, dash and underscore only');
    await waitFor(() => expect(document.activeElement).toBe(username));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a taken username beside the username field', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on(
      'PATCH /api/auth/me',
      errorResponse(409, 'auth.username_taken', 'This username is taken', [
        { path: 'username', message: 'Already taken' },
      ]),
    );

    const username = detailsForm().getByLabelText('Username');
    await user.clear(username);
    await user.type(username, 'grace');
    await user.click(detailsForm().getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(descriptionOf(username)).toContain('Already taken'));
  });

  it('shows other error codes as an alert above the form', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on(
      'PATCH /api/auth/me',
      errorResponse(503, 'database.unavailable', 'The database is unavailable right now'),
    );

    const maths = detailsForm().getByRole('group', { name: 'Maths level' });
    await user.click(within(maths).getByRole('radio', { name: /Expert/ }));
    await user.click(detailsForm().getByRole('button', { name: 'Save changes' }));

    const alert = await detailsForm().findByRole('alert');
    expect(alert.textContent).toContain('The database is unavailable right now');
    expect(detailsForm().getByLabelText('Username').hasAttribute('aria-invalid')).toBe(false);
  });

  it('sends only the fields that changed and confirms the save', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on(
      'PATCH /api/auth/me',
      jsonResponse(200, { user: buildUser({ username: 'ada', programmingLevel: 5 }) }),
    );

    const programming = detailsForm().getByRole('group', { name: 'Programming level' });
    await user.click(within(programming).getByRole('radio', { name: /Expert/ }));
    await user.click(detailsForm().getByRole('button', { name: 'Save changes' }));

    expect((await detailsForm().findByRole('status')).textContent).toContain('saved');
    expect(mock.requestsTo('PATCH /api/auth/me')[0]?.body).toEqual({ programmingLevel: 5 });
  });
});

describe('ProfilePage: password, sessions and account', () => {
  it('puts a wrong current password beside that field', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on('PUT /api/auth/me/password', errorResponse(400, 'auth.wrong_password', 'Not right'));

    await user.type(screen.getByLabelText('Current password'), 'not it');
    await user.type(screen.getByLabelText('New password'), 'a brand new password');
    await user.type(screen.getByLabelText('New password again'), 'a brand new password');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    const current = screen.getByLabelText('Current password');
    await waitFor(() => expect(descriptionOf(current)).toContain('Not right'));
  });

  it('keeps using the fresh token the password change hands back', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on(
      'PUT /api/auth/me/password',
      jsonResponse(200, buildSession({ accessToken: 'after-change' })),
    );
    mock.on('PATCH /api/auth/me', jsonResponse(200, { user: buildUser({ username: 'ada2' }) }));

    await user.type(screen.getByLabelText('Current password'), 'the old one');
    await user.type(screen.getByLabelText('New password'), 'a brand new password');
    await user.type(screen.getByLabelText('New password again'), 'a brand new password');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText(/Your password is changed/);

    await user.clear(detailsForm().getByLabelText('Username'));
    await user.type(detailsForm().getByLabelText('Username'), 'ada2');
    await user.click(detailsForm().getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(mock.requestsTo('PATCH /api/auth/me')).toHaveLength(1));
    const [patch] = mock.requestsTo('PATCH /api/auth/me');
    expect(patch?.headers.get('authorization')).toBe('Bearer after-change');
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('');
  });

  it('refuses mismatched new passwords without calling the server', async () => {
    const { user, mock } = await renderSignedIn('/profile');

    await user.type(screen.getByLabelText('Current password'), 'the old one');
    await user.type(screen.getByLabelText('New password'), 'a brand new password');
    await user.type(screen.getByLabelText('New password again'), 'a brand new passwort');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    const again = screen.getByLabelText('New password again');
    await waitFor(() => expect(descriptionOf(again)).toContain('differ'));
    expect(mock.requestsTo('PUT /api/auth/me/password')).toHaveLength(0);
  });

  it('signs out everywhere and says so on the sign-in page', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on('POST /api/auth/logout-all', new Response(null, { status: 204 }));

    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('signed out on all your devices');
    expect(mock.requestsTo('POST /api/auth/logout-all')[0]?.headers.get('authorization')).toBe(
      'Bearer access-1',
    );
  });

  it('downloads my data as a file with the name the server suggests', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on(
      'GET /api/auth/me/export',
      jsonResponse(200, { user: {} }, { 'content-disposition': 'attachment; filename="ada.json"' }),
    );
    const saved: string[] = [];
    const createObjectURL = stubBlobDownloads('blob:export', (link) =>
      saved.push(`${link.download} ${link.href}`),
    );

    await user.click(screen.getByRole('button', { name: 'Download my data' }));

    expect((await screen.findByText('Your data has been downloaded.')).textContent).toBeTruthy();
    expect(saved).toEqual(['ada.json blob:export']);
    expect(await createObjectURL.mock.calls[0]?.[0].text()).toBe('{"user":{}}');
    const [request] = mock.requestsTo('GET /api/auth/me/export');
    expect(request?.headers.get('authorization')).toBe('Bearer access-1');
  });

  it('deletes the account only after the password and the confirmation box', async () => {
    const { user, mock } = await renderSignedIn('/profile');
    mock.on('DELETE /api/auth/me', new Response(null, { status: 204 }));
    const form = within(screen.getByRole('form', { name: 'Delete my account' }));

    await user.type(form.getByLabelText('Your password'), 'my password');
    await user.click(form.getByRole('button', { name: 'Delete my account' }));
    const confirm = form.getByRole('checkbox');
    await waitFor(() => expect(descriptionOf(confirm)).toContain('Tick this box'));
    expect(mock.requestsTo('DELETE /api/auth/me')).toHaveLength(0);

    await user.click(confirm);
    await user.click(form.getByRole('button', { name: 'Delete my account' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('have been deleted');
    expect(mock.requestsTo('DELETE /api/auth/me')[0]?.body).toEqual({ password: 'my password' });
  });
});
