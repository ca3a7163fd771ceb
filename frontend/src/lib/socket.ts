import { io, type Socket } from 'socket.io-client';
import {
  handshakeErrors,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@hintbook/contracts';
import { ApiError, apiClient, type ApiClient } from './api-client';
import { env } from './env';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionStatus =
  /** First connection of this page, not made yet. */
  | 'connecting'
  | 'connected'
  /** Was connected (or refused for a passing reason); socket.io is trying again. */
  | 'reconnecting'
  /** The browser says there is no network; we try again when it comes back. */
  | 'offline'
  /** The server turned us away and waiting will not help soon (too many tabs). */
  | 'refused';

export interface ConnectionState {
  status: ConnectionStatus;
  /** A human explanation for `refused`, null otherwise. */
  message: string | null;
}

/** One socket and what we know about it; the only code that reacts to connection trouble. */
export interface RealtimeConnection {
  readonly socket: ChatSocket;
  getState(): ConnectionState;
  /** Called on every state change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Starts connecting unless already connected or trying; safe to call repeatedly. */
  open(): void;
  /** Tries again now instead of waiting for the next scheduled attempt. */
  retryNow(): void;
  close(): void;
}

export interface RealtimeConnectionOptions {
  apiClient: ApiClient;
  /** Tests pass a fake; the app builds a real socket.io client. */
  createSocket?: (getToken: () => string) => ChatSocket;
  /** Delay before a manual reconnect after a refusal or a failed refresh. */
  retryDelayMs?: number;
  /** Delay after `realtime.too_many_connections`: other tabs rarely close within seconds. */
  refusedRetryDelayMs?: number;
}

/** Consecutive handshakes refused for auth, even after a refresh, before we stop trying. */
const MAX_AUTH_FAILURES = 3;

function createSocketIoClient(getToken: () => string): ChatSocket {
  return io({
    path: `${env.apiBaseUrl}/socket.io`,
    // Long-polling would need sticky sessions behind several replicas; every target browser
    // has WebSocket.
    transports: ['websocket'],
    autoConnect: false,
    // A function, so every reconnect presents the token current at that moment.
    auth: (callback) => callback({ token: getToken() }),
  });
}

function isBrowserOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

export function createRealtimeConnection(options: RealtimeConnectionOptions): RealtimeConnection {
  const { apiClient: client } = options;
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const refusedRetryDelayMs = options.refusedRetryDelayMs ?? 30_000;
  const socket = (options.createSocket ?? createSocketIoClient)(
    () => client.getAccessToken() ?? '',
  );
  const listeners = new Set<() => void>();
  let state: ConnectionState = { status: 'connecting', message: null };
  let hasConnected = false;
  let isClosed = false;
  let authFailures = 0;
  let tokenExpired = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function setState(status: ConnectionStatus, message: string | null = null) {
    if (state.status === status && state.message === message) return;
    state = { status, message };
    for (const listener of listeners) listener();
  }

  /** What to show while not connected, unless the server refused us. */
  function waitingStatus(): ConnectionStatus {
    if (isBrowserOffline()) return 'offline';
    return hasConnected ? 'reconnecting' : 'connecting';
  }

  function connectLater(delayMs: number) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      if (!isClosed && !socket.connected) socket.connect();
    }, delayMs);
  }

  function refreshThenConnect() {
    client.refreshSession().then(
      () => {
        if (!isClosed) socket.connect();
      },
      (error: unknown) => {
        // Offline or a server hiccup: try again later. Anything else ended the session in the
        // api-client, which signs the app out and closes this connection.
        if (error instanceof ApiError && error.isTransient) connectLater(retryDelayMs);
      },
    );
  }

  socket.on('connect', () => {
    hasConnected = true;
    authFailures = 0;
    tokenExpired = false;
    setState('connected');
  });

  socket.on('auth:expired', () => {
    tokenExpired = true;
  });

  socket.on('disconnect', (reason) => {
    if (isClosed || reason === 'io client disconnect') return;
    setState(waitingStatus());
    // socket.io reconnects by itself after a network loss, but never after the server closed
    // the socket on purpose: that happens when our token expired, so refresh and come back.
    if (reason === 'io server disconnect') {
      if (tokenExpired) refreshThenConnect();
      else connectLater(retryDelayMs);
    }
  });

  socket.on('connect_error', (error) => {
    if (isClosed) return;
    const code = error.message;
    if (code === handshakeErrors.tokenExpired || code === handshakeErrors.unauthenticated) {
      authFailures += 1;
      if (authFailures >= MAX_AUTH_FAILURES) {
        setState('refused', 'The tutor could not check who you are. Reload the page.');
        return;
      }
      setState(waitingStatus());
      refreshThenConnect();
      return;
    }
    if (code === handshakeErrors.tooManyConnections) {
      setState(
        'refused',
        'Hintbook is open in too many tabs. Close one and the tutor will reconnect here.',
      );
      connectLater(refusedRetryDelayMs);
      return;
    }
    setState(waitingStatus());
    // A refusal from the server's middleware is final for socket.io; a transport failure is not.
    if (!socket.active) connectLater(retryDelayMs);
  });

  function handleOnline() {
    if (isClosed || socket.connected) return;
    setState(waitingStatus());
    clearTimeout(retryTimer);
    if (!socket.active) socket.connect();
  }

  function handleOffline() {
    if (!socket.connected) setState('offline');
  }

  if (typeof window !== 'undefined') {
    window.addEventListener('online', handleOnline);
    window.addEventListener('offline', handleOffline);
  }

  return {
    socket,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    open() {
      if (isClosed || socket.connected || socket.active) return;
      setState(waitingStatus());
      socket.connect();
    },
    retryNow() {
      if (isClosed || socket.connected) return;
      authFailures = 0;
      clearTimeout(retryTimer);
      setState(waitingStatus());
      socket.connect();
    },
    close() {
      isClosed = true;
      clearTimeout(retryTimer);
      if (typeof window !== 'undefined') {
        window.removeEventListener('online', handleOnline);
        window.removeEventListener('offline', handleOffline);
      }
      socket.disconnect();
      listeners.clear();
    },
  };
}

let current: RealtimeConnection | null = null;

/**
 * The app's one connection for the signed-in session, made on first use (so pages without
 * realtime never open a socket) and closed when the session ends.
 */
export function getRealtimeConnection(): RealtimeConnection {
  if (current) return current;
  const connection = createRealtimeConnection({ apiClient });
  const unsubscribe = apiClient.subscribe((event) => {
    if (event.type !== 'ended') return;
    unsubscribe();
    connection.close();
    if (current === connection) current = null;
  });
  current = connection;
  return connection;
}
