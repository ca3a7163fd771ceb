import {
  authSessionResponseSchema,
  errorCodes,
  errorResponseSchema,
  REFRESH_HEADER,
  type AuthSessionResponse,
  type ErrorDetail,
} from '@hintbook/contracts';
import { env } from './env';
import { filenameFromContentDisposition } from './download';

/** Codes the client invents when the server could not give one. Never sent by the API. */
export const clientErrorCodes = {
  network: 'client.network_error',
  unexpectedResponse: 'client.unexpected_response',
} as const;

/** Every failed API call rejects with this, whatever went wrong on the way. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when no response arrived at all. */
  readonly status: number;
  /** A code from `errorCodes` in @hintbook/contracts, or one of `clientErrorCodes`. */
  readonly code: string;
  readonly details: readonly ErrorDetail[];

  constructor(status: number, code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Worth trying again later (offline, server down, rate-limited): not a verdict on the request. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Anything with zod's `safeParse`, so callers pass the contracts' schemas directly. */
export interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, instead of `body`: a file upload such as a zip. */
  rawBody?: { data: Blob; contentType: string };
  /** `false` for endpoints that need no bearer token: no token is sent and a 401 is final. */
  authenticated?: boolean;
  signal?: AbortSignal;
  /** Let the request outlive the page (a save on `pagehide`); browsers cap its body at 64 KiB. */
  keepalive?: boolean;
}

interface SendOptions extends RequestOptions {
  headers?: Record<string, string>;
}

export type SessionEndReason =
  'expired' | 'signed-out' | 'signed-out-everywhere' | 'account-deleted';

export type SessionEvent =
  { type: 'started'; session: AuthSessionResponse } | { type: 'ended'; reason: SessionEndReason };

export interface DownloadedFile {
  blob: Blob;
  filename: string | null;
}

export interface ApiClient {
  /** Sends a request and returns the JSON body, checked against `schema`. */
  request<T>(path: string, options: RequestOptions & { schema: ResponseSchema<T> }): Promise<T>;
  /** Sends a request whose success body (usually a 204) carries nothing the caller needs. */
  requestVoid(path: string, options?: RequestOptions): Promise<void>;
  /** Fetches a file the browser should save, keeping the server's suggested name. */
  download(path: string, options?: RequestOptions): Promise<DownloadedFile>;
  /** Trades the httpOnly refresh cookie for a new access token; concurrent callers share one. */
  refreshSession(): Promise<AuthSessionResponse>;
  startSession(session: AuthSessionResponse): void;
  endSession(reason: SessionEndReason): void;
  hasSession(): boolean;
  /** The current access token, for transports that cannot go through `request` (the socket). */
  getAccessToken(): string | null;
  subscribe(listener: (event: SessionEvent) => void): () => void;
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

const REFRESH_PATH = '/api/auth/refresh';
const REFRESH_LOCK = 'hintbook-auth-refresh';

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  // Looked up per call so tests (and polyfills) can replace the global after the client exists.
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const listeners = new Set<(event: SessionEvent) => void>();
  // The access token lives only here, in memory: never in storage a script injection could read.
  let accessToken: string | null = null;
  let refreshInFlight: Promise<AuthSessionResponse> | null = null;
  // Bumped on every sign-out, so a refresh that was already in flight cannot resurrect a session.
  let sessionEpoch = 0;

  function emit(event: SessionEvent) {
    for (const listener of listeners) listener(event);
  }

  function startSession(session: AuthSessionResponse) {
    accessToken = session.accessToken;
    emit({ type: 'started', session });
  }

  function endSession(reason: SessionEndReason) {
    sessionEpoch += 1;
    if (accessToken === null) return;
    accessToken = null;
    emit({ type: 'ended', reason });
  }

  async function send(path: string, opts: SendOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | Blob | undefined;
    if (opts.rawBody) {
      headers['content-type'] = opts.rawBody.contentType;
      body = opts.rawBody.data;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    try {
      return await fetchImpl(baseUrl + path, {
        method: opts.method ?? 'GET',
        headers,
        body,
        credentials: 'same-origin',
        signal: opts.signal,
        ...(opts.keepalive ? { keepalive: true } : {}),
      });
    } catch (error) {
      // An abort is the caller's own decision, not a failure to report.
      if (opts.signal?.aborted) throw error;
      throw new ApiError(
        0,
        clientErrorCodes.network,
        'Could not reach Hintbook. Check your connection and try again.',
      );
    }
  }

  async function performRefresh(): Promise<AuthSessionResponse> {
    const epoch = sessionEpoch;
    try {
      const response = await send(
        REFRESH_PATH,
        { method: 'POST', headers: { [REFRESH_HEADER]: '1' } },
        null,
      );
      // 204: this browser holds no session to refresh (signed out); the same as a refused one.
      if (response.status === 204)
        throw new ApiError(401, errorCodes.unauthenticated, 'Sign in to continue');
      if (!response.ok) throw await errorFrom(response);
      const session = await bodyFrom(response, authSessionResponseSchema);
      if (epoch !== sessionEpoch) {
        throw new ApiError(
          401,
          errorCodes.unauthenticated,
          'You signed out while this was loading.',
        );
      }
      startSession(session);
      return session;
    } catch (error) {
      // Offline or a server hiccup says nothing about the session: keep it and let the caller retry.
      if (error instanceof ApiError && !error.isTransient) endSession('expired');
      throw error;
    }
  }

  function refreshSession(): Promise<AuthSessionResponse> {
    // Refresh tokens rotate and a reused one revokes the whole family, so at most one refresh may
    // be in flight: in this tab (shared promise) and across tabs (a Web Lock, where available).
    refreshInFlight ??= withLock(REFRESH_LOCK, performRefresh).finally(() => {
      refreshInFlight = null;
    });
    return refreshInFlight;
  }

  async function sendWithSession(path: string, opts: RequestOptions): Promise<Response> {
    if (opts.authenticated === false) return send(path, opts, null);
    const tokenSent = accessToken;
    const response = await send(path, opts, tokenSent);
    if (response.status !== 401 || tokenSent === null) return response;
    if (accessToken === tokenSent) {
      await refreshSession();
    } else if (accessToken === null) {
      return response; // signed out meanwhile: the 401 stands
    } // else another request already refreshed: just retry with the new token
    const retried = await send(path, opts, accessToken);
    // A brand-new token refused means the account itself is gone; retrying again would loop.
    if (retried.status === 401) endSession('expired');
    return retried;
  }

  return {
    async request(path, opts) {
      const response = await sendWithSession(path, opts);
      if (!response.ok) throw await errorFrom(response);
      return bodyFrom(response, opts.schema);
    },
    async requestVoid(path, opts = {}) {
      const response = await sendWithSession(path, opts);
      if (!response.ok) throw await errorFrom(response);
    },
    async download(path, opts = {}) {
      const response = await sendWithSession(path, opts);
      if (!response.ok) throw await errorFrom(response);
      const disposition = response.headers.get('content-disposition');
      return { blob: await response.blob(), filename: filenameFromContentDisposition(disposition) };
    },
    refreshSession,
    startSession,
    endSession,
    hasSession: () => accessToken !== null,
    getAccessToken: () => accessToken,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text()) as unknown;
  } catch {
    return undefined; // an empty or HTML body (proxy error page) fails the schema below
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  const parsed = errorResponseSchema.safeParse(await readJson(response));
  if (!parsed.success) {
    return new ApiError(
      response.status,
      clientErrorCodes.unexpectedResponse,
      `The server sent an unexpected answer (HTTP ${response.status}). Please try again.`,
    );
  }
  const { code, message, details } = parsed.data.error;
  return new ApiError(response.status, code, message, details ?? []);
}

async function bodyFrom<T>(response: Response, schema: ResponseSchema<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(response));
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      clientErrorCodes.unexpectedResponse,
      'The server sent an answer this page does not understand. Reload the page and try again.',
    );
  }
  return parsed.data;
}

function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request(name, task) : task();
}

/** The one client the app uses; tests build their own with `createApiClient`. */
export const apiClient = createApiClient({ baseUrl: env.apiBaseUrl });
