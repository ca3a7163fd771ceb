import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, renderSignedIn } from '../../../test/render-app';

const adminSession = buildSession({ user: buildUser({ isAdmin: true }) });
const importedModule = {
  id: '7f0c5a57-3c4c-4f0e-9d0e-3f3b7b0a1a11',
  slug: 'loops-week',
  title: 'Loops week',
  description: '',
  position: 1,
  published: false,
  notebooks: [],
  files: [],
  updatedAt: '2026-01-05T09:00:00.000Z',
};

async function renderContent(importReply: Response) {
  const rendered = await renderSignedIn('/admin/content', adminSession, {
    beforeRender(mock) {
      mock.on('GET /api/admin/modules', jsonResponse(200, { modules: [] }));
      mock.on('POST /api/admin/modules/import', importReply);
    },
  });
  await screen.findByRole('heading', { name: 'Import a module from a zip' });
  return rendered;
}

describe('ImportModuleForm', () => {
  it('uploads the chosen zip as application/zip and reports what was imported', async () => {
    const reply = jsonResponse(200, {
      module: importedModule,
      isNewModule: true,
      notebooksCreated: 3,
      notebooksUpdated: 0,
      notebooksUnchanged: 0,
      filesWritten: 1,
    });
    const { user, mock } = await renderContent(reply);
    const zip = new File([new Uint8Array([80, 75, 3, 4])], 'loops-week.zip', {
      type: 'application/zip',
    });

    await user.upload(screen.getByLabelText('Zip of notebooks'), zip);
    await user.click(screen.getByRole('button', { name: 'Import' }));

    expect(
      await screen.findByText(/Created “Loops week”: 3 new, 0 updated, 0 unchanged/),
    ).toBeTruthy();
    const [request] = mock.requestsTo('POST /api/admin/modules/import');
    expect(request?.headers.get('content-type')).toBe('application/zip');
  });

  it('shows the server’s reason when the zip is refused, and imports nothing', async () => {
    const { user } = await renderContent(
      errorResponse(400, 'admin.import_invalid', 'notebooks/02.ipynb is not a notebook'),
    );
    await user.upload(screen.getByLabelText('Zip of notebooks'), new File(['x'], 'bad.zip'));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByText('notebooks/02.ipynb is not a notebook')).toBeTruthy();
  });
});
