import {
  authSessionResponseSchema,
  meResponseSchema,
  type ChangePasswordBody,
  type DeleteAccountBody,
  type PublicUser,
  type UpdateProfileBody,
} from '@hintbook/contracts';
import { apiClient, type DownloadedFile } from '../../lib/api-client';

export async function updateProfile(body: UpdateProfileBody): Promise<PublicUser> {
  const { user } = await apiClient.request('/api/auth/me', {
    method: 'PATCH',
    body,
    schema: meResponseSchema,
  });
  return user;
}

/** The API revokes the other sessions and hands this one fresh tokens, which are kept here. */
export async function changePassword(body: ChangePasswordBody): Promise<void> {
  const session = await apiClient.request('/api/auth/me/password', {
    method: 'PUT',
    body,
    schema: authSessionResponseSchema,
  });
  apiClient.startSession(session);
}

export function exportMyData(): Promise<DownloadedFile> {
  return apiClient.download('/api/auth/me/export');
}

export async function deleteAccount(body: DeleteAccountBody): Promise<void> {
  await apiClient.requestVoid('/api/auth/me', { method: 'DELETE', body });
  apiClient.endSession('account-deleted');
}
