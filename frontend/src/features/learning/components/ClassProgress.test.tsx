import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AdminNotebook } from '@hintbook/contracts';
import { jsonResponse } from '../../../test/fetch-mock';
import { stubFetch } from '../../../test/render-app';
import { ClassProgress } from './ClassProgress';

const MODULE_ID = '00000000-0000-4000-8000-000000000001';
const notebook = (id: string, title: string): AdminNotebook => ({
  id,
  slug: title.toLowerCase(),
  title,
  description: '',
  position: 0,
  version: 1,
  updatedAt: '2026-12-07T05:00:00.000Z',
});
const FIRST = '00000000-0000-4000-8000-00000000000a';
const SECOND = '00000000-0000-4000-8000-00000000000b';

afterEach(() => vi.unstubAllGlobals());

describe('ClassProgress', () => {
  it('shows each notebook with how many of the class completed it, work on it, or have not started', async () => {
    const mock = stubFetch();
    mock.on(
      `GET /api/admin/modules/${MODULE_ID}/progress`,
      jsonResponse(200, {
        students: 30,
        notebooks: [
          { notebookId: FIRST, inProgress: 5, completed: 12 },
          { notebookId: SECOND, inProgress: 0, completed: 0 },
        ],
      }),
    );
    render(
      <ClassProgress
        moduleId={MODULE_ID}
        notebooks={[notebook(FIRST, 'Variables'), notebook(SECOND, 'Loops')]}
      />,
    );

    const list = await screen.findByRole('list', { name: 'Class progress per notebook' });
    const rows = within(list)
      .getAllByRole('listitem')
      .map((row) => row.textContent);
    expect(rows).toEqual([
      'Variables12 completed · 5 in progress · 13 not started',
      'Loops0 completed · 0 in progress · 30 not started',
    ]);
    expect(screen.getByText('Out of 30 students this module is for.')).toBeTruthy();
    const bar = list.querySelector<HTMLElement>('.class-progress-done')!;
    expect(bar.style.width).toBe('40%');
  });

  it('says so when nobody the module is for has an account yet', async () => {
    const mock = stubFetch();
    mock.on(
      `GET /api/admin/modules/${MODULE_ID}/progress`,
      jsonResponse(200, {
        students: 0,
        notebooks: [{ notebookId: FIRST, inProgress: 0, completed: 0 }],
      }),
    );
    render(<ClassProgress moduleId={MODULE_ID} notebooks={[notebook(FIRST, 'Variables')]} />);
    expect(
      await screen.findByText(
        'Nobody this module is for has an account yet (admins are not counted).',
      ),
    ).toBeTruthy();
  });
});
