import { describe, expect, it } from 'vitest';
import { meResponseSchema, REFRESH_HEADER } from '@hintbook/contracts';
import { createFetchMock, errorResponse, jsonResponse } from '../test/fetch-mock';
import { buildSession, buildUser } from '../test/render-app';
import { ApiError, clientErrorCodes, createApiClient, type SessionEvent } from './api-client';

function setup() {
  const mock = createFetchMock();
  const client = createApiClient({ baseUrl: '', fetch: mock.fetch });
  const events: SessionEvent[] = [];
  client.subscribe((event) => events.push(event));
  return { ...mock, client, events };
}

const me = () => jsonResponse(200, { user: buildUser() });
const expired = () => errorResponse(401, 'auth.token_expired', 'Token expired');
const refreshed = (accessToken: string) => jsonResponse(200, buildSession({ accessToken }));

/** A reply the test releases when it chooses, to hold a request in flight. */
function deferred() {
  let release!: (response: Response) => void;
  const promise = new Promise<Response>((resolve) => (release = resolve));
  return { reply: () => promise, release };
}

describe('createApiClient', () => {
  it('attaches the bearer token of the current session and sends bodies as JSON', async () => {
    const { client, fetch, requests, on } = setup();
    client.startSession(buildSession({ accessToken: 'token-a' }));
    on('PATCH /api/auth/me', me());

    const user = await client.request('/api/auth/me', {
      method: 'PATCH',
      body: { username: 'ada' },
      schema: meResponseSchema,
    });

    expect(user.user.username).toBe('ada');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer token-a');
    expect(requests[0]?.headers.get('content-type')).toBe('application/json');
    expect(requests[0]?.body).toEqual({ username: 'ada' });
  });

  it('sends a raw body (a zip upload) as is, with its own content type', async () => {
    const { client, fetch, requests, on } = setup();
    client.startSession(buildSession({ accessToken: 'token-a' }));
    on('POST /api/upload', me());
    const zip = new Blob([new Uint8Array([80, 75, 3, 4])], { type: 'application/zip' });

    await client.request('/api/upload', {
      method: 'POST',
      rawBody: { data: zip, contentType: 'application/zip' },
      schema: meResponseSchema,
    });

    expect(requests[0]?.headers.get('content-type')).toBe('application/zip');
    expect(fetch.mock.calls[0]?.[1]?.body).toBe(zip);
  });

  it('sends no token to endpoints marked unauthenticated and treats their 401 as final', async () => {
    const { client, requests, on } = setup();
    client.startSession(buildSession({ accessToken: 'token-a' }));
    on(
      'POST /api/auth/login',
      errorResponse(401, 'auth.invalid_credentials', 'Wrong email or password'),
    );

    const error = await client
      .request('/api/auth/login', {
        method: 'POST',
        authenticated: false,
        schema: meResponseSchema,
      })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'auth.invalid_credentials' });
    expect(requests.map((request) => request.path)).toEqual(['/api/auth/login']);
    expect(requests[0]?.headers.has('authorization')).toBe(false);
  });

  it('takes a 204 from the refresh endpoint (no session in this browser) as signed out', async () => {
    const { client, on } = setup();
    on('POST /api/auth/refresh', new Response(null, { status: 204 }));

    const error = await client.refreshSession().catch((caught: unknown) => caught);

    expect(error).toMatchObject({ status: 401, code: 'auth.unauthenticated' });
    expect(client.hasSession()).toBe(false);
  });

  it('on a 401 refreshes exactly once, then retries once with the new token', async () => {
    const { client, requests, requestsTo, on } = setup();
    client.startSession(buildSession({ accessToken: 'old' }));
    on('GET /api/auth/me', expired(), me());
    on('POST /api/auth/refresh', refreshed('new'));

    await expect(client.request('/api/auth/me', { schema: meResponseSchema })).resolves.toEqual({
      user: buildUser(),
    });

    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /api/auth/me',
      'POST /api/auth/refresh',
      'GET /api/auth/me',
    ]);
    const [refresh] = requestsTo('POST /api/auth/refresh');
    expect(refresh?.headers.get(REFRESH_HEADER)).toBe('1');
    expect(refresh?.credentials).toBe('same-origin');
    expect(refresh?.headers.has('authorization')).toBe(false);
    expect(requests[2]?.headers.get('authorization')).toBe('Bearer new');
  });

  it('does not refresh a second time when the retried request is refused too', async () => {
    const { client, requestsTo, on, events } = setup();
    client.startSession(buildSession({ accessToken: 'old' }));
    on('GET /api/auth/me', expired(), errorResponse(401, 'auth.unauthenticated', 'No'));
    on('POST /api/auth/refresh', refreshed('new'), refreshed('newer'));

    await expect(
      client.request('/api/auth/me', { schema: meResponseSchema }),
    ).rejects.toMatchObject({ status: 401, code: 'auth.unauthenticated' });
    expect(requestsTo('POST /api/auth/refresh')).toHaveLength(1);
    expect(requestsTo('GET /api/auth/me')).toHaveLength(2);
    expect(client.hasSession()).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'ended', reason: 'expired' });
  });

  it('lets concurrent 401s share a single refresh', async () => {
    const { client, requests, requestsTo, on } = setup();
    client.startSession(buildSession({ accessToken: 'old' }));
    const refresh = deferred();
    on('GET /api/auth/me', expired(), expired(), expired(), me(), me(), me());
    on('POST /api/auth/refresh', refresh.reply);

    const calls = [1, 2, 3].map(() => client.request('/api/auth/me', { schema: meResponseSchema }));
    await waitFor(() => requestsTo('POST /api/auth/refresh').length === 1);
    refresh.release(refreshed('new'));

    await expect(Promise.all(calls)).resolves.toHaveLength(3);
    expect(requestsTo('POST /api/auth/refresh')).toHaveLength(1);
    const retries = requests.slice(-3);
    expect(retries.map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer new',
      'Bearer new',
      'Bearer new',
    ]);
  });

  it('retries without refreshing when another request already refreshed meanwhile', async () => {
    const { client, requestsTo, on } = setup();
    client.startSession(buildSession({ accessToken: 'old' }));
    const slow401 = deferred();
    on('GET /api/auth/me', expired(), slow401.reply, me(), me());
    on('POST /api/auth/refresh', refreshed('new'));

    const first = client.request('/api/auth/me', { schema: meResponseSchema });
    const second = client.request('/api/auth/me', { schema: meResponseSchema });
    await first; // refreshed and retried while the second request was still waiting
    slow401.release(expired());
    await second;

    expect(requestsTo('POST /api/auth/refresh')).toHaveLength(1);
    expect(requestsTo('GET /api/auth/me').at(-1)?.headers.get('authorization')).toBe('Bearer new');
  });

  it('clears the session and raises the refresh error when the refresh is refused', async () => {
    const { client, requestsTo, on, events } = setup();
    client.startSession(buildSession({ accessToken: 'old' }));
    on('GET /api/auth/me', expired());
    on('POST /api/auth/refresh', errorResponse(401, 'auth.refresh_reused', 'Sign in again'));

    const error = await client
      .request('/api/auth/me', { schema: meResponseSchema })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'auth.refresh_reused' });
    expect(client.hasSession()).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'ended', reason: 'expired' });
    expect(requestsTo('GET /api/auth/me')).toHaveLength(1);
  });

  it('keeps the session when the refresh fails only because the network did', async () => {
    const { client, fetch, on } = setup();
    client.startSession(buildSession({ accessToken: 'old' }));
    on('GET /api/auth/me', expired());
    on('POST /api/auth/refresh', () => Promise.reject(new TypeError('Failed to fetch')));

    await expect(
      client.request('/api/auth/me', { schema: meResponseSchema }),
    ).rejects.toMatchObject({ status: 0, code: clientErrorCodes.network });
    expect(client.hasSession()).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not bring a session back when a refresh finishes after sign-out', async () => {
    const { client, on, events } = setup();
    const refresh = deferred();
    on('POST /api/auth/refresh', refresh.reply);

    const restoring = client.refreshSession().catch((caught: unknown) => caught);
    client.startSession(buildSession({ accessToken: 'signed-in-meanwhile' }));
    client.endSession('signed-out');
    refresh.release(refreshed('late'));

    expect(await restoring).toBeInstanceOf(ApiError);
    expect(client.hasSession()).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'ended', reason: 'signed-out' });
  });

  it('turns a non-JSON error body into a generic ApiError carrying the status', async () => {
    const { client, on } = setup();
    on('GET /api/health', new Response('<html>502 Bad Gateway</html>', { status: 502 }));

    const error = await client
      .request('/api/health', { authenticated: false, schema: meResponseSchema })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, code: clientErrorCodes.unexpectedResponse });
    expect((error as ApiError).message).toContain('502');
  });

  it('keeps field details of a validation failure', async () => {
    const { client, on } = setup();
    const details = [{ path: 'username', message: 'At least 3 characters' }];
    on('POST /api/auth/register', errorResponse(400, 'validation.failed', 'Invalid', details));

    await expect(
      client.request('/api/auth/register', {
        method: 'POST',
        authenticated: false,
        schema: meResponseSchema,
      }),
    ).rejects.toMatchObject({ status: 400, code: 'validation.failed', details });
  });

  it('rejects a success body that does not match the contract', async () => {
    const { client, on } = setup();
    on('GET /api/auth/me', jsonResponse(200, { user: { id: 1 } }));

    await expect(
      client.request('/api/auth/me', { authenticated: false, schema: meResponseSchema }),
    ).rejects.toMatchObject({ status: 200, code: clientErrorCodes.unexpectedResponse });
  });

  it('downloads a file with the name the server suggests', async () => {
    const { client, on } = setup();
    client.startSession(buildSession());
    on(
      'GET /api/auth/me/export',
      jsonResponse(200, { user: {} }, { 'content-disposition': 'attachment; filename="ada.json"' }),
    );

    const file = await client.download('/api/auth/me/export');

    expect(file.filename).toBe('ada.json');
    expect(JSON.parse(await file.blob.text())).toEqual({ user: {} });
  });
});

async function waitFor(condition: () => boolean) {
  for (let attempt = 0; attempt < 50 && !condition(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  expect(condition()).toBe(true);
}
