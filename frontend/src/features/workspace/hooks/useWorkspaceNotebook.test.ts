import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../../../test/fetch-mock';
import { stubFetch } from '../../../test/render-app';
import type { WorkspaceTarget } from '../api';
import { useWorkspaceNotebook } from './useWorkspaceNotebook';

const NOTEBOOK_ID = '00000000-0000-4000-8000-000000000005';
const NOTEBOOK = `GET /api/notebooks/${NOTEBOOK_ID}`;
const VERSION = `GET /api/notebooks/${NOTEBOOK_ID}/version`;
const target: WorkspaceTarget = { kind: 'personal', id: NOTEBOOK_ID };

const notebook = {
  id: NOTEBOOK_ID,
  title: 'Homework',
  version: 3,
  sizeBytes: 120,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  content: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 },
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useWorkspaceNotebook', () => {
  it('keeps mine on top of the version it asks for alone, not a second load of the notebook', async () => {
    const mock = stubFetch();
    mock.on(NOTEBOOK, jsonResponse(200, { notebook }));
    mock.on(VERSION, jsonResponse(200, { version: 7 }));
    // Without Python the notebook is never opened, so the save after "keep mine" cannot read it;
    // what this test is about is what was fetched before that.
    const { result } = renderHook(() => useWorkspaceNotebook(target, false));
    await waitFor(() => expect(result.current.loaded.status).toBe('ready'));

    await act(async () => {
      await result.current.keepMine();
    });

    expect(mock.requestsTo(VERSION)).toHaveLength(1);
    expect(mock.requestsTo(NOTEBOOK)).toHaveLength(1);
  });
});
