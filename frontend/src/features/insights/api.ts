/** What students ask (`/api/admin/insights/questions`). */
import {
  type QuestionInsightsQuery,
  type QuestionInsightsResponse,
  questionInsightsResponseSchema,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';
import { queryString } from '../../lib/query-string';

const base = '/api/admin';

export function getQuestionInsights(
  query: QuestionInsightsQuery,
  signal?: AbortSignal,
): Promise<QuestionInsightsResponse> {
  return apiClient.request(`${base}/insights/questions${queryString(query)}`, {
    schema: questionInsightsResponseSchema,
    signal,
  });
}
