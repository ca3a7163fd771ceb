import {
  listModulesResponseSchema,
  listPersonalNotebooksResponseSchema,
  personalNotebookResponseSchema,
  type LearningModule,
  type ListPersonalNotebooksResponse,
  type PersonalNotebook,
} from '@hintbook/contracts';
import { apiClient, type DownloadedFile } from '../../lib/api-client';

/** Published modules in course order, each notebook with the caller's progress. */
export async function listModules(signal?: AbortSignal): Promise<LearningModule[]> {
  const { modules } = await apiClient.request('/api/modules', {
    schema: listModulesResponseSchema,
    signal,
  });
  return modules;
}

/** The caller's own notebooks, newest first, and how many they may keep. */
export function listPersonalNotebooks(
  signal?: AbortSignal,
): Promise<ListPersonalNotebooksResponse> {
  return apiClient.request('/api/notebooks', {
    schema: listPersonalNotebooksResponseSchema,
    signal,
  });
}

/** Uploads an .ipynb as read from disk; the server validates it and explains a refusal. */
export async function uploadPersonalNotebook(
  filename: string,
  content: string,
): Promise<PersonalNotebook> {
  const { notebook } = await apiClient.request('/api/notebooks', {
    method: 'POST',
    body: { filename, content },
    schema: personalNotebookResponseSchema,
  });
  return notebook;
}

/** Starts an empty notebook with the given title. */
export async function createBlankNotebook(title: string): Promise<PersonalNotebook> {
  const { notebook } = await apiClient.request('/api/notebooks', {
    method: 'POST',
    body: { title },
    schema: personalNotebookResponseSchema,
  });
  return notebook;
}

export async function renamePersonalNotebook(id: string, title: string): Promise<PersonalNotebook> {
  const { notebook } = await apiClient.request(`/api/notebooks/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { title },
    schema: personalNotebookResponseSchema,
  });
  return notebook;
}

export function deletePersonalNotebook(id: string): Promise<void> {
  return apiClient.requestVoid(`/api/notebooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function downloadPersonalNotebook(id: string): Promise<DownloadedFile> {
  return apiClient.download(`/api/notebooks/${encodeURIComponent(id)}/download`);
}
