import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AdminUserProgress } from '@hintbook/contracts';
import { UserProgressTable } from './UserProgressTable';

const row = (overrides: Partial<AdminUserProgress>): AdminUserProgress => ({
  moduleId: '00000000-0000-4000-8000-000000000001',
  moduleTitle: 'Getting started with Python',
  notebookId: '00000000-0000-4000-8000-000000000002',
  notebookTitle: '3. Functions',
  status: 'in_progress',
  updatedAt: '2026-12-07T05:56:00.000Z',
  originalUpdated: false,
  exercises: { total: 2, passed: 1 },
  ...overrides,
});

describe('UserProgressTable', () => {
  it('shows, per notebook, how many of its exercises the student passed', () => {
    render(
      <UserProgressTable
        progress={[
          row({}),
          row({
            notebookId: '00000000-0000-4000-8000-000000000003',
            notebookTitle: '1. Variables',
            exercises: { total: 0, passed: 0 },
          }),
        ]}
      />,
    );
    const cellsOf = (notebook: string) =>
      within(screen.getByRole('rowheader', { name: notebook }).closest('tr')!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    expect(cellsOf('3. Functions').slice(0, 3)).toEqual([
      'Getting started with Python',
      'In progress',
      '1 of 2',
    ]);
    expect(cellsOf('1. Variables')[2]).toBe('None in this notebook');
  });
});
