import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../../../test/render-app';

const NOTEBOOK_ID = '00000000-0000-4000-8000-000000000005';

describe('WorkspacePage', () => {
  it('starts loading the notebook app while the notebook itself is still being fetched', async () => {
    await renderSignedIn(`/notebooks/${NOTEBOOK_ID}`, undefined, {
      beforeRender(mock) {
        // Never answers: the page stays on "Loading the notebook…".
        mock.on(`GET /api/notebooks/${NOTEBOOK_ID}`, () => new Promise<Response>(() => undefined));
      },
    });

    expect(await screen.findByText('Loading the notebook…')).toBeTruthy();
    const frame = screen.getByTitle(/^Notebook:/);
    expect(frame.getAttribute('src')).toMatch(/\/jupyterlite\/lab\/index\.html$/);
  });
});
