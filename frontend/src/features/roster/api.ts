/**
 * Classes (`/api/admin/roster`, invitations, groups, module groups, a person's groups): one typed
 * function per route.
 */
import {
  type ClassGroup,
  type ImportRosterBody,
  type ImportRosterResponse,
  importRosterResponseSchema,
  type Invitation,
  listClassGroupsResponseSchema,
  listInvitationsResponseSchema,
  type ModuleGroupsBody,
  moduleGroupsResponseSchema,
  type UserGroupsBody,
  userGroupsResponseSchema,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

const base = '/api/admin';
const id = encodeURIComponent;

export function importRoster(body: ImportRosterBody): Promise<ImportRosterResponse> {
  return apiClient.request(`${base}/roster`, {
    method: 'POST',
    body,
    schema: importRosterResponseSchema,
  });
}

export async function listInvitations(signal?: AbortSignal): Promise<Invitation[]> {
  const { invitations } = await apiClient.request(`${base}/invitations`, {
    schema: listInvitationsResponseSchema,
    signal,
  });
  return invitations;
}

export function revokeInvitation(invitationId: string): Promise<void> {
  return apiClient.requestVoid(`${base}/invitations/${id(invitationId)}`, {
    method: 'DELETE',
  });
}

export async function listClassGroups(signal?: AbortSignal): Promise<ClassGroup[]> {
  const { groups } = await apiClient.request(`${base}/groups`, {
    schema: listClassGroupsResponseSchema,
    signal,
  });
  return groups;
}

export function getModuleGroups(moduleId: string, signal?: AbortSignal): Promise<ModuleGroupsBody> {
  return apiClient.request(`${base}/module-groups/${id(moduleId)}`, {
    schema: moduleGroupsResponseSchema,
    signal,
  });
}

export function setModuleGroups(moduleId: string, groupIds: string[]): Promise<ModuleGroupsBody> {
  return apiClient.request(`${base}/module-groups/${id(moduleId)}`, {
    method: 'PUT',
    body: { groupIds },
    schema: moduleGroupsResponseSchema,
  });
}

export function getUserGroups(userId: string, signal?: AbortSignal): Promise<UserGroupsBody> {
  return apiClient.request(`${base}/user-groups/${id(userId)}`, {
    schema: userGroupsResponseSchema,
    signal,
  });
}

export function setUserGroups(userId: string, groupIds: string[]): Promise<UserGroupsBody> {
  return apiClient.request(`${base}/user-groups/${id(userId)}`, {
    method: 'PUT',
    body: { groupIds },
    schema: userGroupsResponseSchema,
  });
}
