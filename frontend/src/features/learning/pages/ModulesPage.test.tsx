import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LearningModule } from '@hintbook/contracts';
import { moduleNotebook as notebook } from '../../../test/learning-fixtures';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { buildSession, renderSignedIn } from '../../../test/render-app';

const starter: LearningModule = {
  id: 'mod-1',
  slug: 'starter',
  title: 'Getting started with Python',
  description: 'Four short notebooks.',
  position: 0,
  published: true,
  aiPolicy: {
    mode: 'on',
    maxHintLevel: null,
    text: 'The tutor is on for this module.',
    until: null,
  },
  notebooks: [
    notebook({ id: 'nb-1', title: '1. Variables', status: 'completed', copyId: 'c1' }),
    notebook({ id: 'nb-2', title: '2. Lists', status: 'in_progress', copyId: 'c2' }),
    notebook({ id: 'nb-3', title: '3. Functions' }),
  ],
};

const emptyPersonal = { notebooks: [], limits: { maxNotebooks: 20, maxBytes: 5_000_000 } };

async function renderModules(personal = emptyPersonal) {
  return renderSignedIn('/modules', buildSession(), {
    beforeRender(mock) {
      mock.on('GET /api/modules', jsonResponse(200, { modules: [starter] }));
      mock.on('GET /api/notebooks', jsonResponse(200, personal));
    },
  });
}

describe('ModulesPage', () => {
  it('shows each module with its progress and every notebook’s status, in order', async () => {
    await renderModules();
    const region = await screen.findByRole('region', { name: 'Getting started with Python' });
    const bar = within(region).getByRole('progressbar', {
      name: 'Getting started with Python: progress',
    });
    expect(bar.getAttribute('value')).toBe('1');
    expect(bar.getAttribute('max')).toBe('3');
    within(region).getByText('1 of 3 completed');

    const items = within(region).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      '1. VariablesCompleted',
      '2. ListsIn progress',
      '3. FunctionsNot started',
    ]);
    expect(within(items[1]!).getByRole('link', { name: '2. Lists' }).getAttribute('href')).toBe(
      '/modules/mod-1/notebooks/nb-2',
    );
  });

  it('shows the server’s reason when an upload is refused, and lists an accepted one', async () => {
    const { mock, user } = await renderModules();
    await screen.findByText('No notebooks yet.');
    const input = screen.getByLabelText('Notebook file (.ipynb)');

    mock.on(
      'POST /api/notebooks',
      errorResponse(
        400,
        'notebooks.not_nbformat',
        'This file is not a Jupyter notebook (nbformat 4).',
      ),
    );
    await user.upload(
      input,
      new File(['{"cells": 3}'], 'broken.ipynb', { type: 'application/json' }),
    );
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'This file is not a Jupyter notebook (nbformat 4).',
    );
    expect(mock.requestsTo('POST /api/notebooks')[0]!.body).toEqual({
      filename: 'broken.ipynb',
      content: '{"cells": 3}',
    });

    const summary = {
      id: 'p1',
      title: 'mine',
      version: 1,
      sizeBytes: 2048,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    const content = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    mock.on('POST /api/notebooks', jsonResponse(201, { notebook: { ...summary, content } }));
    mock.on('GET /api/notebooks', jsonResponse(200, { ...emptyPersonal, notebooks: [summary] }));
    await user.upload(input, new File([JSON.stringify(content)], 'mine.ipynb'));
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect((await screen.findByRole('link', { name: 'mine' })).getAttribute('href')).toBe(
      '/notebooks/p1',
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('starts an empty notebook with the title given and opens it', async () => {
    const { mock, user, router } = await renderModules();
    await screen.findByText('No notebooks yet.');
    const summary = {
      id: 'p2',
      title: 'Trying loops',
      version: 1,
      sizeBytes: 120,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    const content = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    mock.on('POST /api/notebooks', jsonResponse(201, { notebook: { ...summary, content } }));

    const title = screen.getByLabelText('New notebook’s title');
    await user.clear(title);
    await user.type(title, 'Trying loops');
    await user.click(screen.getByRole('button', { name: 'Start an empty notebook' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/notebooks/p2'));
    expect(mock.requestsTo('POST /api/notebooks')[0]!.body).toEqual({ title: 'Trying loops' });
  });
});
