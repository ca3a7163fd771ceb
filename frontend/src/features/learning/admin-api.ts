/**
 * Module content for admins (`/api/admin/modules/*`): modules, their notebooks and data files.
 * Apart from the students' api.ts so the SPA's first download does not carry it.
 */
import {
  type AdminDataFile,
  adminDataFileResponseSchema,
  type AdminModule,
  adminModuleResponseSchema,
  type AdminNotebook,
  adminNotebookResponseSchema,
  type CreateModuleBody,
  type ImportModuleQuery,
  type ImportModuleResponse,
  importModuleResponseSchema,
  listAdminModulesResponseSchema,
  type ModuleClassProgressResponse,
  moduleClassProgressResponseSchema,
  type ModuleStudentProgressResponse,
  moduleStudentProgressResponseSchema,
  type NotebookPreviewResponse,
  notebookPreviewResponseSchema,
  type UpdateModuleBody,
  type UploadDataFileBody,
  type UploadModuleNotebookBody,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';
import { queryString } from '../../lib/query-string';

const base = '/api/admin';
const id = encodeURIComponent;

export async function listAdminModules(signal?: AbortSignal): Promise<AdminModule[]> {
  const { modules } = await apiClient.request(`${base}/modules`, {
    schema: listAdminModulesResponseSchema,
    signal,
  });
  return modules;
}

export async function getAdminModule(moduleId: string, signal?: AbortSignal): Promise<AdminModule> {
  const { module } = await apiClient.request(`${base}/modules/${id(moduleId)}`, {
    schema: adminModuleResponseSchema,
    signal,
  });
  return module;
}

/** How far the module's class is, notebook by notebook. */
export function getModuleClassProgress(
  moduleId: string,
  signal?: AbortSignal,
): Promise<ModuleClassProgressResponse> {
  return apiClient.request(`${base}/modules/${id(moduleId)}/progress`, {
    schema: moduleClassProgressResponseSchema,
    signal,
  });
}

export function getModuleStudentProgress(moduleId: string): Promise<ModuleStudentProgressResponse> {
  return apiClient.request(`${base}/modules/${id(moduleId)}/progress/students`, {
    schema: moduleStudentProgressResponseSchema,
  });
}

export async function createModule(body: CreateModuleBody): Promise<AdminModule> {
  const { module } = await apiClient.request(`${base}/modules`, {
    method: 'POST',
    body,
    schema: adminModuleResponseSchema,
  });
  return module;
}

export async function updateModule(moduleId: string, body: UpdateModuleBody): Promise<AdminModule> {
  const { module } = await apiClient.request(`${base}/modules/${id(moduleId)}`, {
    method: 'PATCH',
    body,
    schema: adminModuleResponseSchema,
  });
  return module;
}

export function deleteModule(moduleId: string): Promise<void> {
  return apiClient.requestVoid(`${base}/modules/${id(moduleId)}`, { method: 'DELETE' });
}

export async function setModulePublished(
  moduleId: string,
  isPublished: boolean,
): Promise<AdminModule> {
  const action = isPublished ? 'publish' : 'unpublish';
  const { module } = await apiClient.request(`${base}/modules/${id(moduleId)}/${action}`, {
    method: 'POST',
    schema: adminModuleResponseSchema,
  });
  return module;
}

export function reorderModules(moduleIds: string[]): Promise<void> {
  return apiClient.requestVoid(`${base}/modules/order`, { method: 'PUT', body: { moduleIds } });
}

/** Imports (or re-imports) a whole module from a zip of notebooks and data files. */
export function importModuleZip(
  file: Blob,
  query: ImportModuleQuery,
): Promise<ImportModuleResponse> {
  return apiClient.request(`${base}/modules/import${queryString(query)}`, {
    method: 'POST',
    rawBody: { data: file, contentType: 'application/zip' },
    schema: importModuleResponseSchema,
  });
}

export async function uploadModuleNotebook(
  moduleId: string,
  body: UploadModuleNotebookBody,
): Promise<AdminNotebook> {
  const { notebook } = await apiClient.request(`${base}/modules/${id(moduleId)}/notebooks`, {
    method: 'POST',
    body,
    schema: adminNotebookResponseSchema,
  });
  return notebook;
}

export async function replaceModuleNotebook(
  moduleId: string,
  notebookId: string,
  content: string,
): Promise<AdminNotebook> {
  const path = `${base}/modules/${id(moduleId)}/notebooks/${id(notebookId)}/content`;
  const { notebook } = await apiClient.request(path, {
    method: 'PUT',
    body: { content },
    schema: adminNotebookResponseSchema,
  });
  return notebook;
}

export function reorderNotebooks(moduleId: string, notebookIds: string[]): Promise<void> {
  return apiClient.requestVoid(`${base}/modules/${id(moduleId)}/notebooks/order`, {
    method: 'PUT',
    body: { notebookIds },
  });
}

export function deleteModuleNotebook(moduleId: string, notebookId: string): Promise<void> {
  return apiClient.requestVoid(`${base}/modules/${id(moduleId)}/notebooks/${id(notebookId)}`, {
    method: 'DELETE',
  });
}

export function previewNotebook(
  moduleId: string,
  notebookId: string,
  signal?: AbortSignal,
): Promise<NotebookPreviewResponse> {
  const path = `${base}/modules/${id(moduleId)}/notebooks/${id(notebookId)}/preview`;
  return apiClient.request(path, { schema: notebookPreviewResponseSchema, signal });
}

export async function uploadDataFile(
  moduleId: string,
  body: UploadDataFileBody,
): Promise<AdminDataFile> {
  const { file } = await apiClient.request(`${base}/modules/${id(moduleId)}/files`, {
    method: 'POST',
    body,
    schema: adminDataFileResponseSchema,
  });
  return file;
}

export function deleteDataFile(moduleId: string, fileId: string): Promise<void> {
  return apiClient.requestVoid(`${base}/modules/${id(moduleId)}/files/${id(fileId)}`, {
    method: 'DELETE',
  });
}
