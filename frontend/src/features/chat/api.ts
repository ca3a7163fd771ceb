import {
  listMessagesResponseSchema,
  listSessionsResponseSchema,
  myUsageResponseSchema,
  sessionResponseSchema,
  type ChatSession,
  type ListMessagesResponse,
  type MyUsageResponse,
} from '@hintbook/contracts';
import { apiClient } from '../../lib/api-client';

/** The student's conversations, newest activity first; `query` filters by title. */
export async function listSessions(query = '', signal?: AbortSignal): Promise<ChatSession[]> {
  const search = query.trim() ? `?${new URLSearchParams({ q: query.trim() })}` : '';
  const { sessions } = await apiClient.request(`/api/chat/sessions${search}`, {
    schema: listSessionsResponseSchema,
    signal,
  });
  return sessions;
}

export async function renameSession(id: string, title: string): Promise<ChatSession> {
  const { session } = await apiClient.request(`/api/chat/sessions/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { title },
    schema: sessionResponseSchema,
  });
  return session;
}

export function deleteSession(id: string): Promise<void> {
  return apiClient.requestVoid(`/api/chat/sessions/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  });
}

/** One page of a conversation, oldest first; pass `before` (a `nextCursor`) to go back. */
export function listMessages(
  sessionId: string,
  options: { before?: string | null; signal?: AbortSignal } = {},
): Promise<ListMessagesResponse> {
  const params = new URLSearchParams({ limit: '50' });
  if (options.before) params.set('before', options.before);
  return apiClient.request(
    `/api/chat/sessions/${encodeURIComponent(sessionId)}/messages?${params}`,
    { schema: listMessagesResponseSchema, signal: options.signal },
  );
}

export function getMyUsage(signal?: AbortSignal): Promise<MyUsageResponse> {
  return apiClient.request('/api/me/usage', { schema: myUsageResponseSchema, signal });
}
