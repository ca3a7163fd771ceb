import type { ModuleNotebookSummary } from '@hintbook/contracts';

/** Test data for the students' module pages, in the API's shapes. */

/** A module notebook as `GET /api/modules` lists it: not started, no exercises. */
export function moduleNotebook(overrides: Partial<ModuleNotebookSummary>): ModuleNotebookSummary {
  return {
    id: 'nb',
    slug: 'nb',
    title: 'Notebook',
    description: '',
    position: 0,
    version: 1,
    status: 'not_started',
    copyId: null,
    copyUpdatedAt: null,
    exercises: { total: 0, passed: 0 },
    ...overrides,
  };
}
