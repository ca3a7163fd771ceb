/** Usage, budget, privacy report and provider errors for admins: one typed function per route. */
import {
  adminBudgetResponseSchema,
  type AdminPrivacyResponse,
  adminPrivacyResponseSchema,
  type AdminUsageQuery,
  type AdminUsageResponse,
  adminUsageResponseSchema,
  type BudgetStatus,
  type ListProviderErrorsQuery,
  type ListProviderErrorsResponse,
  listProviderErrorsResponseSchema,
  type ProviderErrorEntry,
  providerErrorResponseSchema,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';
import { queryString } from '../../lib/query-string';

const base = '/api/admin';
const id = encodeURIComponent;

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
