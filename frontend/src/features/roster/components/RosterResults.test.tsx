import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RosterRowResult } from '@hintbook/contracts';
import { describe, expect, it } from 'vitest';
import { stubBlobDownloads } from '../../../test/blob-downloads';
import { invitationLinksCsv } from '../invitation-links-csv';
import { RosterResults } from './RosterResults';

const rows: RosterRowResult[] = [
  {
    line: 2,
    email: 'ada@school.example',
    name: 'Lovelace, Ada',
    group: '9B',
    outcome: 'invited',
    message: 'Invited: hand out the link',
    inviteUrl: 'https://hintbook.school.example/register?invitation=a1',
  },
  {
    line: 3,
    email: 'grace@school.example',
    name: null,
    group: null,
    outcome: 'has_account',
    message: 'Has an account',
  },
  {
    line: 4,
    email: 'eve@school.example',
    name: '=HYPERLINK("http://evil.example","click")',
    group: '9B',
    outcome: 'invited',
    message: 'Invited: hand out the link',
    inviteUrl: 'https://hintbook.school.example/register?invitation=e4',
  },
];

describe('invitation links as CSV', () => {
  it('holds one line per link, quoted where needed, with names kept as text', () => {
    expect(invitationLinksCsv(rows).split('\r\n')).toEqual([
      'email,name,group,invitation link',
      'ada@school.example,"Lovelace, Ada",9B,https://hintbook.school.example/register?invitation=a1',
      // A formula in a class list stays text in the spreadsheet.
      `eve@school.example,"'=HYPERLINK(""http://evil.example"",""click"")",9B,https://hintbook.school.example/register?invitation=e4`,
      '',
    ]);
  });
});

describe('RosterResults', () => {
  it('lets the teacher download the links shown only once', async () => {
    const saved: string[] = [];
    const createObjectURL = stubBlobDownloads('blob:links', (link) => saved.push(link.download));
    render(<RosterResults result={{ rows, groupsCreated: ['9B'] }} />);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Download the links (CSV)' }));

    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/^hintbook-invitations-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(await createObjectURL.mock.calls[0]?.[0].text()).toBe(invitationLinksCsv(rows));
  });

  it('offers no download when nothing was invited by link', () => {
    render(<RosterResults result={{ rows: [rows[1]!], groupsCreated: [] }} />);
    expect(screen.queryByRole('button', { name: 'Download the links (CSV)' })).toBeNull();
  });
});
