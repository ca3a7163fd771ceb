/** AI settings for admins (`/api/admin/settings`): one typed function per route. */
import {
  type AdminProviderName,
  type AiSettingsResponse,
  aiSettingsResponseSchema,
  type ProviderTestResponse,
  providerTestResponseSchema,
  type UpdateAiSettingsBody,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

const base = '/api/admin';
const id = encodeURIComponent;

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
