import { systemMetricsResponseSchema, type SystemMetricsResponse } from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

/** Percentiles, error rates and first tokens of the backend process, last hour and day. */
export function getSystemMetrics(signal?: AbortSignal): Promise<SystemMetricsResponse> {
  return apiClient.request('/api/admin/system/metrics', {
    schema: systemMetricsResponseSchema,
    signal,
  });
}
