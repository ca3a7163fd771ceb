import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ModuleStudentProgressResponse } from '@hintbook/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubBlobDownloads } from '../../../test/blob-downloads';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { stubFetch } from '../../../test/render-app';
import { classProgressCsv } from '../class-progress-csv';
import { ProgressDownload } from './ProgressDownload';

const MODULE_ID = '00000000-0000-4000-8000-000000000001';
const LISTS = '00000000-0000-4000-8000-000000000002';
const INTRO = '00000000-0000-4000-8000-000000000003';
const ROUTE = `GET /api/admin/modules/${MODULE_ID}/progress/students`;

const progress: ModuleStudentProgressResponse = {
  notebooks: [
    { notebookId: INTRO, title: '1. Printing', exercises: 0 },
    { notebookId: LISTS, title: '2. Lists, loops', exercises: 3 },
  ],
  students: [
    {
      userId: '00000000-0000-4000-8000-000000000010',
      username: 'ada',
      email: 'ada@school.example',
      groups: ['9B', 'Maths club'],
      notebooks: [
        {
          notebookId: INTRO,
          status: 'completed',
          exercisesPassed: 0,
          updatedAt: '2026-12-01T09:00:00.000Z',
        },
        {
          notebookId: LISTS,
          status: 'in_progress',
          exercisesPassed: 2,
          updatedAt: '2026-12-02T10:30:00.000Z',
        },
      ],
    },
    {
      userId: '00000000-0000-4000-8000-000000000011',
      username: '=cmd',
      email: 'bo@school.example',
      groups: [],
      notebooks: [
        { notebookId: INTRO, status: 'not_started', exercisesPassed: 0, updatedAt: null },
        { notebookId: LISTS, status: 'not_started', exercisesPassed: 0, updatedAt: null },
      ],
    },
  ],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the class progress CSV', () => {
  it('has a row per student and, per notebook, status, exercises passed where there are any, last change', () => {
    expect(classProgressCsv(progress).split('\r\n')).toEqual([
      'username,email,groups,1. Printing: status,1. Printing: last change,' +
        '"2. Lists, loops: status","2. Lists, loops: exercises passed (of 3)","2. Lists, loops: last change"',
      'ada,ada@school.example,9B; Maths club,completed,2026-12-01T09:00:00.000Z,in progress,2,2026-12-02T10:30:00.000Z',
      // A username a spreadsheet would run as a formula stays text.
      "'=cmd,bo@school.example,,not started,,not started,0,",
      '',
    ]);
  });
});

describe('ProgressDownload', () => {
  it('downloads the progress as a CSV named after the module', async () => {
    const mock = stubFetch();
    mock.on(ROUTE, jsonResponse(200, progress));
    const saved: string[] = [];
    const createObjectURL = stubBlobDownloads('blob:progress', (link) => saved.push(link.download));
    render(<ProgressDownload moduleId={MODULE_ID} slug="python-basics" />);

    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Download progress per student (CSV)' }));

    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toMatch(/^hintbook-python-basics-progress-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(await createObjectURL.mock.calls[0]?.[0].text()).toBe(classProgressCsv(progress));
  });

  it('says so when the progress could not be read', async () => {
    const mock = stubFetch();
    mock.on(ROUTE, errorResponse(503, 'database.unavailable', 'The database is not reachable.'));
    render(<ProgressDownload moduleId={MODULE_ID} slug="python-basics" />);

    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Download progress per student (CSV)' }));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'The progress could not be downloaded',
    );
  });
});
