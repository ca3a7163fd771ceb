/** The audit log for admins (`/api/admin/audit-log`). */
import {
  type ListAuditLogQuery,
  type ListAuditLogResponse,
  listAuditLogResponseSchema,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';
import { queryString } from '../../lib/query-string';

const base = '/api/admin';

export function listAuditLog(
  query: ListAuditLogQuery,
  signal?: AbortSignal,
): Promise<ListAuditLogResponse> {
  return apiClient.request(`${base}/audit-log${queryString(query)}`, {
    schema: listAuditLogResponseSchema,
    signal,
  });
}
