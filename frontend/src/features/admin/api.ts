import {
  importModuleResponseSchema,
  type ImportModuleQuery,
  type ImportModuleResponse,
  adminBudgetResponseSchema,
  adminDataFileResponseSchema,
  adminMessagesResponseSchema,
  adminModuleResponseSchema,
  adminNotebookResponseSchema,
  adminPrivacyResponseSchema,
  type AdminPrivacyResponse,
  adminSessionsResponseSchema,
  adminUsageResponseSchema,
  adminUserDetailResponseSchema,
  adminUserResponseSchema,
  aiSettingsResponseSchema,
  listAdminModulesResponseSchema,
  listAdminUsersResponseSchema,
  listAuditLogResponseSchema,
  listProviderErrorsResponseSchema,
  notebookPreviewResponseSchema,
  providerErrorResponseSchema,
  providerTestResponseSchema,
  questionInsightsResponseSchema,
  resetLinkResponseSchema,
  importRosterResponseSchema,
  moduleGroupsResponseSchema,
  type ModuleGroupsBody,
  listInvitationsResponseSchema,
  listClassGroupsResponseSchema,
  type ClassGroup,
  type ImportRosterBody,
  type ImportRosterResponse,
  type Invitation,
  type ResetLinkResponse,
  retrievalStatusResponseSchema,
  type AdminDataFile,
  type AdminModule,
  type AdminNotebook,
  type AdminProviderName,
  type AdminUsageQuery,
  type AdminUsageResponse,
  type AdminUserDetailResponse,
  type AdminUserSummary,
  type AiSettingsResponse,
  type BudgetStatus,
  type ChatMessage,
  type ChatSession,
  type CreateModuleBody,
  type ListAdminUsersQuery,
  type ListAdminUsersResponse,
  type ListAuditLogQuery,
  type ListAuditLogResponse,
  type ListProviderErrorsQuery,
  type ListProviderErrorsResponse,
  type NotebookPreviewResponse,
  type ProviderErrorEntry,
  type ProviderTestResponse,
  type QuestionInsightsQuery,
  type QuestionInsightsResponse,
  type RetrievalStatus,
  type UpdateAiSettingsBody,
  type UpdateModuleBody,
  type UploadDataFileBody,
  type UploadModuleNotebookBody,
  type UserAllowance,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

/** The admin API (`/api/admin/*`): one typed function per route, nothing else. */

const base = '/api/admin';
const id = (value: string) => encodeURIComponent(value);

/** A query string from the defined values only, `?` included when there is any. */
export function queryString(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// ------------------------------------------------------------------ usage

export function getUsage(
  query: AdminUsageQuery,
  signal?: AbortSignal,
): Promise<AdminUsageResponse> {
  return apiClient.request(`${base}/usage${queryString(query)}`, {
    schema: adminUsageResponseSchema,
    signal,
  });
}

export async function getBudget(signal?: AbortSignal): Promise<BudgetStatus> {
  const { budget } = await apiClient.request(`${base}/usage/budget`, {
    schema: adminBudgetResponseSchema,
    signal,
  });
  return budget;
}

/** What was redacted before the providers over the last 30 days, and the retention setting. */
export function getPrivacyReport(signal?: AbortSignal): Promise<AdminPrivacyResponse> {
  return apiClient.request(`${base}/usage/privacy`, { schema: adminPrivacyResponseSchema, signal });
}

// ------------------------------------------------------------------ what students ask

export function getQuestionInsights(
  query: QuestionInsightsQuery,
  signal?: AbortSignal,
): Promise<QuestionInsightsResponse> {
  return apiClient.request(`${base}/insights/questions${queryString(query)}`, {
    schema: questionInsightsResponseSchema,
    signal,
  });
}

export async function getRetrievalStatus(signal?: AbortSignal): Promise<RetrievalStatus> {
  const { retrieval } = await apiClient.request(`${base}/retrieval`, {
    schema: retrievalStatusResponseSchema,
    signal,
  });
  return retrieval;
}

// ------------------------------------------------------------------ users

export function listUsers(
  query: ListAdminUsersQuery,
  signal?: AbortSignal,
): Promise<ListAdminUsersResponse> {
  return apiClient.request(`${base}/users${queryString(query)}`, {
    schema: listAdminUsersResponseSchema,
    signal,
  });
}

export function getUser(userId: string, signal?: AbortSignal): Promise<AdminUserDetailResponse> {
  return apiClient.request(`${base}/users/${id(userId)}`, {
    schema: adminUserDetailResponseSchema,
    signal,
  });
}

export async function setUserDisabled(
  userId: string,
  isDisabled: boolean,
): Promise<AdminUserSummary> {
  const action = isDisabled ? 'disable' : 'enable';
  const { user } = await apiClient.request(`${base}/users/${id(userId)}/${action}`, {
    method: 'POST',
    schema: adminUserResponseSchema,
  });
  return user;
}

export async function setUserAllowance(
  userId: string,
  allowance: UserAllowance,
): Promise<AdminUserSummary> {
  const { user } = await apiClient.request(`${base}/users/${id(userId)}/allowance`, {
    method: 'PUT',
    body: allowance,
    schema: adminUserResponseSchema,
  });
  return user;
}

export function deleteUser(userId: string): Promise<void> {
  return apiClient.requestVoid(`${base}/users/${id(userId)}`, { method: 'DELETE' });
}

export async function listUserSessions(
  userId: string,
  signal?: AbortSignal,
): Promise<ChatSession[]> {
  const { sessions } = await apiClient.request(`${base}/users/${id(userId)}/sessions`, {
    schema: adminSessionsResponseSchema,
    signal,
  });
  return sessions;
}

export async function listUserMessages(
  userId: string,
  sessionId: string,
  signal?: AbortSignal,
): Promise<ChatMessage[]> {
  const path = `${base}/users/${id(userId)}/sessions/${id(sessionId)}/messages`;
  const { messages } = await apiClient.request(path, {
    schema: adminMessagesResponseSchema,
    signal,
  });
  return messages;
}

// ------------------------------------------------------------------ AI settings

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

export function getAiSettings(signal?: AbortSignal): Promise<AiSettingsResponse> {
  return apiClient.request(`${base}/settings`, { schema: aiSettingsResponseSchema, signal });
}

export function updateAiSettings(body: UpdateAiSettingsBody): Promise<AiSettingsResponse> {
  return apiClient.request(`${base}/settings`, {
    method: 'PUT',
    body,
    schema: aiSettingsResponseSchema,
  });
}

export function testProvider(provider: AdminProviderName): Promise<ProviderTestResponse> {
  return apiClient.request(`${base}/settings/providers/${id(provider)}/test`, {
    method: 'POST',
    schema: providerTestResponseSchema,
  });
}

// ------------------------------------------------------------------ provider errors

export function listProviderErrors(
  query: ListProviderErrorsQuery,
  signal?: AbortSignal,
): Promise<ListProviderErrorsResponse> {
  return apiClient.request(`${base}/provider-errors${queryString(query)}`, {
    schema: listProviderErrorsResponseSchema,
    signal,
  });
}

export async function resolveProviderError(errorId: string): Promise<ProviderErrorEntry> {
  const { error } = await apiClient.request(`${base}/provider-errors/${id(errorId)}/resolve`, {
    method: 'POST',
    schema: providerErrorResponseSchema,
  });
  return error;
}

// ------------------------------------------------------------------ audit log

export function listAuditLog(
  query: ListAuditLogQuery,
  signal?: AbortSignal,
): Promise<ListAuditLogResponse> {
  return apiClient.request(`${base}/audit-log${queryString(query)}`, {
    schema: listAuditLogResponseSchema,
    signal,
  });
}

// ------------------------------------------------------------------ content

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

/** A single-use password reset link for the admin to hand over. */
export function issueResetLink(userId: string): Promise<ResetLinkResponse> {
  return apiClient.request(`/api/admin/users/${encodeURIComponent(userId)}/reset-link`, {
    method: 'POST',
    schema: resetLinkResponseSchema,
  });
}

export function importRoster(body: ImportRosterBody): Promise<ImportRosterResponse> {
  return apiClient.request('/api/admin/roster', {
    method: 'POST',
    body,
    schema: importRosterResponseSchema,
  });
}

export async function listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
  const { invitations } = await apiClient.request('/api/admin/invitations', {
    schema: listInvitationsResponseSchema,
    signal,
  });
  return invitations;
}

export function revokeInvitation(id: string): Promise<void> {
  return apiClient.requestVoid(`/api/admin/invitations/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  });
}

export async function listClassGroups(signal?: AbortSignal): Promise<ClassGroup[]> {
  const { groups } = await apiClient.request('/api/admin/groups', {
    schema: listClassGroupsResponseSchema,
    signal,
  });
  return groups;
}

export function getModuleGroups(moduleId: string, signal?: AbortSignal): Promise<ModuleGroupsBody> {
  return apiClient.request(`/api/admin/module-groups/${encodeURIComponent(moduleId)}`, {
    schema: moduleGroupsResponseSchema,
    signal,
  });
}

export function setModuleGroups(moduleId: string, groupIds: string[]): Promise<ModuleGroupsBody> {
  return apiClient.request(`/api/admin/module-groups/${encodeURIComponent(moduleId)}`, {
    method: 'PUT',
    body: { groupIds },
    schema: moduleGroupsResponseSchema,
  });
}
