import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LearningModule, ModuleNotebookSummary } from '@hintbook/contracts';
import { moduleNotebook as notebook } from '../../../test/learning-fixtures';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, renderSignedIn } from '../../../test/render-app';

function module(id: string, title: string, notebooks: ModuleNotebookSummary[]): LearningModule {
  return {
    id,
    slug: id,
    title,
    description: '',
    position: 0,
    published: true,
    aiPolicy: { mode: 'on', maxHintLevel: null, text: 'The tutor is on.', until: null },
    notebooks,
  };
}

const session = buildSession({ user: buildUser({ programmingLevel: 1, mathsLevel: 4 }) });

async function renderHome(modules: Response) {
  return renderSignedIn('/', session, {
    beforeRender(mock) {
      mock.on('GET /api/modules', modules);
    },
  });
}

describe('HomePage', () => {
  it('links each module straight to where the student left off, under a progress bar', async () => {
    await renderHome(
      jsonResponse(200, {
        modules: [
          module('m-new', 'Untouched', [notebook({ id: 'a1', title: 'First steps' })]),
          module('m-mid', 'Halfway', [
            notebook({ id: 'b1', title: 'Done one', status: 'completed' }),
            notebook({
              id: 'b2',
              title: 'Lists',
              status: 'in_progress',
              exercises: { total: 3, passed: 1 },
            }),
            notebook({ id: 'b3', title: 'Loops' }),
          ]),
          module('m-done', 'Finished', [
            notebook({ id: 'c1', title: 'Only', status: 'completed' }),
          ]),
        ],
      }),
    );

    expect(
      (await screen.findByRole('link', { name: 'Start with First steps' })).getAttribute('href'),
    ).toBe('/modules/m-new/notebooks/a1');
    const halfway = screen.getByRole('heading', { name: 'Halfway' }).closest('li')!;
    expect(
      within(halfway).getByRole('link', { name: 'Continue with Lists' }).getAttribute('href'),
    ).toBe('/modules/m-mid/notebooks/b2');
    const bar = within(halfway).getByRole('progressbar', { name: 'Halfway: progress' });
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['1', '3']);
    expect(within(halfway).getByText('1 of 3 exercises passed')).toBeTruthy();
    const finished = screen.getByRole('heading', { name: 'Finished' }).closest('li')!;
    expect(finished.textContent).toContain('Every notebook completed.');
  });

  it('names the levels the tutor starts from', async () => {
    await renderHome(jsonResponse(200, { modules: [] }));
    expect(await screen.findByText('No modules are published yet.')).toBeTruthy();
    const note = screen.getByText(/The tutor starts from your levels/);
    expect(note.textContent).toBe(
      'The tutor starts from your levels, programming New to it and maths Confident, and adjusts as it gets to know you. Change your levels',
    );
    expect(
      within(note).getByRole('link', { name: 'Change your levels' }).getAttribute('href'),
    ).toBe('/profile');
  });

  it('points to the Modules page when the progress cannot be loaded', async () => {
    await renderHome(errorResponse(503, 'database.unavailable', 'Try again'));
    expect(await screen.findByText(/Your progress could not be loaded just now/)).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
