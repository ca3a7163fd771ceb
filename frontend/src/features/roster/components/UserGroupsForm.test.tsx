import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../../../test/fetch-mock';
import { stubFetch } from '../../../test/render-app';
import { UserGroupsForm } from './UserGroupsForm';

const USER_ID = '00000000-0000-4000-8000-000000000001';
const NINE_B = '00000000-0000-4000-8000-00000000009b';
const NINE_C = '00000000-0000-4000-8000-00000000009c';
const ROUTE = `/api/admin/user-groups/${USER_ID}`;

function group(id: string, name: string) {
  return { id, name, memberCount: 12, pendingInvitations: 0 };
}

async function renderForm() {
  const mock = stubFetch();
  mock.on(
    'GET /api/admin/groups',
    jsonResponse(200, { groups: [group(NINE_B, '9B'), group(NINE_C, '9C')] }),
  );
  mock.on(`GET ${ROUTE}`, jsonResponse(200, { groupIds: [NINE_B] }));
  render(
    <MemoryRouter>
      <UserGroupsForm userId={USER_ID} />
    </MemoryRouter>,
  );
  await screen.findByRole('group', { name: 'Member of' });
  return { mock, user: userEvent.setup() };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a person’s groups (admin)', () => {
  it('ticks the groups they are in, and moves them to another class', async () => {
    const { mock, user } = await renderForm();
    const nineB = screen.getByRole('checkbox', { name: '9B' });
    const nineC = screen.getByRole('checkbox', { name: '9C' });
    expect([(nineB as HTMLInputElement).checked, (nineC as HTMLInputElement).checked]).toEqual([
      true,
      false,
    ]);

    await user.click(nineB);
    await user.click(nineC);
    mock.on(`PUT ${ROUTE}`, jsonResponse(200, { groupIds: [NINE_C] }));
    await user.click(screen.getByRole('button', { name: 'Save groups' }));

    await screen.findByText('Saved: in one group. They see its modules and those for everyone.');
    expect(mock.requestsTo(`PUT ${ROUTE}`)[0]!.body).toEqual({ groupIds: [NINE_C] });
  });

  it('points to Classes when there are no groups yet', async () => {
    const mock = stubFetch();
    mock.on('GET /api/admin/groups', jsonResponse(200, { groups: [] }));
    mock.on(`GET ${ROUTE}`, jsonResponse(200, { groupIds: [] }));
    render(
      <MemoryRouter>
        <UserGroupsForm userId={USER_ID} />
      </MemoryRouter>,
    );
    await screen.findByText(/No groups yet/);
    expect(screen.getByRole('link', { name: 'Classes' }).getAttribute('href')).toBe(
      '/admin/classes',
    );
  });
});
