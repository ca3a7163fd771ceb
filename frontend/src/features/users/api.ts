/** User administration (`/api/admin/users/*`): one typed function per route. */
import {
  adminMessagesResponseSchema,
  adminSessionsResponseSchema,
  type AdminUserDetailResponse,
  adminUserDetailResponseSchema,
  adminUserResponseSchema,
  type AdminUserSummary,
  type ChatMessage,
  type ChatSession,
  type ListAdminUsersQuery,
  type ListAdminUsersResponse,
  listAdminUsersResponseSchema,
  type ResetLinkResponse,
  resetLinkResponseSchema,
  type UserAllowance,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';
import { queryString } from '../../lib/query-string';

const base = '/api/admin';
const id = encodeURIComponent;

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

/** A single-use password reset link for the admin to hand over. */
export function issueResetLink(userId: string): Promise<ResetLinkResponse> {
  return apiClient.request(`${base}/users/${id(userId)}/reset-link`, {
    method: 'POST',
    schema: resetLinkResponseSchema,
  });
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
