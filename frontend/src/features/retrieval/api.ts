/** Course search status for admins (`/api/admin/retrieval`). */
import { type RetrievalStatus, retrievalStatusResponseSchema } from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

const base = '/api/admin';

export async function getRetrievalStatus(signal?: AbortSignal): Promise<RetrievalStatus> {
  const { retrieval } = await apiClient.request(`${base}/retrieval`, {
    schema: retrievalStatusResponseSchema,
    signal,
  });
  return retrieval;
}
