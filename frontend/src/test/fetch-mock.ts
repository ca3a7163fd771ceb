import { vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, `?` included; empty when there is none. */
  search: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Reply = Response | (() => Response | Promise<Response>);

/** A JSON response as the API sends it. */
export function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The API's error envelope. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: { path: string; message: string }[],
): Response {
  return jsonResponse(status, { error: { code, message, ...(details ? { details } : {}) } });
}

/**
 * A fake `fetch` answering from a queue of replies per "METHOD /path", recording every request.
 * An unexpected request fails the test loudly instead of hanging.
 */
export function createFetchMock() {
  const replies = new Map<string, Reply[]>();
  const requests: RecordedRequest[] = [];

  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    requests.push({
      method,
      path: url.pathname,
      search: url.search,
      headers,
      body,
      credentials: init.credentials,
    });
    const queue = replies.get(`${method} ${url.pathname}`);
    const reply = queue?.shift();
    if (!reply) throw new Error(`Unexpected request: ${method} ${url.pathname}`);
    return typeof reply === 'function' ? reply() : reply;
  });

  return {
    fetch,
    requests,
    /** Queues replies for a route; each request takes the next one. */
    on(route: string, ...routeReplies: Reply[]) {
      replies.set(route, [...(replies.get(route) ?? []), ...routeReplies]);
    },
    requestsTo(route: string) {
      return requests.filter((request) => `${request.method} ${request.path}` === route);
    },
  };
}
