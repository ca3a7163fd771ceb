import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, renderSignedIn } from '../../../test/render-app';
import { adminUser } from '../../../test/admin-fixtures';

const adminSession = buildSession({ user: buildUser({ isAdmin: true }) });
const page = (users = [adminUser()]) => jsonResponse(200, { users, total: users.length });

describe('AdminUsersPage', () => {
  it('lists people with their usage and wires search, filters and sorting to the API', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-24T12:00:00.000Z'));
    const { user, mock } = await renderSignedIn('/admin/people', adminSession, {
      beforeRender(mock) {
        mock.on('GET /api/admin/users', page());
      },
    });

    const link = await screen.findByRole('link', { name: 'bo' });
    expect(link.getAttribute('href')).toBe('/admin/people/00000000-0000-4000-8000-000000000001');
    const row = link.closest('tr')!;
    expect(row.textContent).toContain('12,345');
    expect(row.textContent).toContain('$0.42');
    expect(row.textContent).toContain('1 of 3 started');
    const search = () =>
      new URLSearchParams(mock.requestsTo('GET /api/admin/users').at(-1)!.search);
    expect(Object.fromEntries(search())).toEqual({
      status: 'all',
      sort: 'last_active',
      limit: '50',
      offset: '0',
    });

    mock.on('GET /api/admin/users', page([]));
    await user.type(screen.getByLabelText('Email or username'), '  Bo ');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Nobody matches.')).toBeTruthy();
    expect(search().get('q')).toBe('Bo');

    mock.on('GET /api/admin/users', page());
    await user.selectOptions(screen.getByLabelText('Status'), 'disabled');
    await screen.findByRole('link', { name: 'bo' });
    expect(search().get('status')).toBe('disabled');
    expect(search().get('q')).toBe('Bo');

    mock.on('GET /api/admin/users', page());
    await user.selectOptions(screen.getByLabelText('Last active'), 'In the last 7 days');
    await screen.findByRole('link', { name: 'bo' });
    expect(search().get('activeSince')).toBe('2026-11-17T12:00:00.000Z');

    mock.on('GET /api/admin/users', page());
    await user.selectOptions(screen.getByLabelText('Sort by'), 'Usage this month');
    await screen.findByRole('link', { name: 'bo' });
    expect(search().get('sort')).toBe('usage');
    expect(mock.requestsTo('GET /api/admin/users')).toHaveLength(5);
  });
});
