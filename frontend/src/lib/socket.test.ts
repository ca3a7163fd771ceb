import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from './api-client';
import { createRealtimeConnection, type ChatSocket } from './socket';

type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io client: the test plays the server through `fire`. */
function createFakeSocket() {
  const handlers = new Map<string, Handler[]>();
  const socket = {
    connected: false,
    active: false,
    connect: vi.fn(() => {
      socket.active = true;
    }),
    disconnect: vi.fn(() => {
      socket.active = false;
      socket.connected = false;
    }),
    on(event: string, handler: Handler) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      return socket;
    },
  };
  return {
    socket,
    fire(event: string, ...args: unknown[]) {
      if (event === 'connect') socket.connected = true;
      if (event === 'disconnect') socket.connected = false;
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
  };
}

function setup(refresh: () => Promise<unknown> = () => Promise.resolve({})) {
  const fake = createFakeSocket();
  let token = 'token-1';
  const client = {
    getAccessToken: () => token,
    refreshSession: vi.fn(async () => {
      const session = await refresh();
      token = 'token-2';
      return session;
    }),
  } as unknown as ApiClient;
  let getToken: () => string = () => '';
  const connection = createRealtimeConnection({
    apiClient: client,
    createSocket: (tokenSource) => {
      getToken = tokenSource;
      return fake.socket as unknown as ChatSocket;
    },
    retryDelayMs: 1_000,
    refusedRetryDelayMs: 30_000,
  });
  return { ...fake, client, connection, getToken: () => getToken() };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createRealtimeConnection', () => {
  it('connects with the current access token and reports it', () => {
    const { connection, socket, fire, getToken } = setup();
    connection.open();
    expect(socket.connect).toHaveBeenCalledOnce();
    expect(getToken()).toBe('token-1');

    fire('connect');
    expect(connection.getState().status).toBe('connected');
  });

  it('refreshes the token and reconnects when the handshake says it expired', async () => {
    const { connection, socket, fire, client, getToken } = setup();
    connection.open();
    socket.active = false; // socket.io gives up after a middleware refusal
    fire('connect_error', new Error('auth.token_expired'));

    expect(connection.getState().status).toBe('connecting');
    await vi.waitFor(() => expect(socket.connect).toHaveBeenCalledTimes(2));
    expect(client.refreshSession).toHaveBeenCalledOnce();
    expect(getToken()).toBe('token-2');
  });

  it('refreshes and comes back after the server ends a socket whose token expired', async () => {
    const { connection, socket, fire, client } = setup();
    connection.open();
    fire('connect');
    fire('auth:expired', { code: 'auth.token_expired', message: 'Expired' });
    fire('disconnect', 'io server disconnect');

    expect(connection.getState().status).toBe('reconnecting');
    await vi.waitFor(() => expect(socket.connect).toHaveBeenCalledTimes(2));
    expect(client.refreshSession).toHaveBeenCalledOnce();
  });

  it('shows reconnecting, not a refusal, while the network is briefly gone', () => {
    const { connection, fire } = setup();
    connection.open();
    fire('connect');
    fire('disconnect', 'transport close');
    expect(connection.getState()).toEqual({ status: 'reconnecting', message: null });
  });

  it('explains too many tabs and tries again later', () => {
    vi.useFakeTimers();
    const { connection, socket, fire } = setup();
    connection.open();
    socket.active = false;
    fire('connect_error', new Error('realtime.too_many_connections'));

    expect(connection.getState().status).toBe('refused');
    expect(connection.getState().message).toContain('too many tabs');
    vi.advanceTimersByTime(30_000);
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });

  it('stops retrying when even fresh tokens are refused', async () => {
    const { connection, socket, fire } = setup();
    connection.open();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      socket.active = false;
      fire('connect_error', new Error('auth.unauthenticated'));
      await Promise.resolve();
    }
    expect(connection.getState().status).toBe('refused');
  });

  it('retries later when the refresh cannot reach the server', async () => {
    vi.useFakeTimers();
    const { connection, socket, fire } = setup(() =>
      Promise.reject(new ApiError(0, 'client.network_error', 'Offline')),
    );
    connection.open();
    socket.active = false;
    fire('connect_error', new Error('auth.token_expired'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });

  it('notifies subscribers and goes quiet once closed', () => {
    const { connection, socket, fire } = setup();
    const listener = vi.fn();
    connection.subscribe(listener);
    connection.open();
    fire('connect');
    expect(listener).toHaveBeenCalled();

    connection.close();
    expect(socket.disconnect).toHaveBeenCalledOnce();
    listener.mockClear();
    fire('disconnect', 'io client disconnect');
    expect(listener).not.toHaveBeenCalled();
  });
});
