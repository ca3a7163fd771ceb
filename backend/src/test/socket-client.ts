import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@hintbook/contracts';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RecordedEvent {
  name: keyof ServerToClientEvents;
  payload: Record<string, unknown>;
}

/**
 * A real socket.io client for tests, recording every server event in arrival order so tests
 * can assert on sequences (ordered deltas, exactly one terminal event).
 */
export async function connectClient(baseUrl: string, token: string) {
  const socket: TestSocket = io(baseUrl, {
    path: '/socket.io',
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const events: RecordedEvent[] = [];
  socket.onAny((name: keyof ServerToClientEvents, payload: Record<string, unknown>) => {
    events.push({ name, payload });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });

  /** Resolves with the first recorded event (past or future) that matches. */
  function waitFor(
    match: (event: RecordedEvent) => boolean,
    timeoutMs = 5_000,
  ): Promise<RecordedEvent> {
    return new Promise((resolve, reject) => {
      const check = () => events.find(match);
      const found = check();
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        socket.offAny(listener);
        reject(
          new Error(`timed out waiting; saw: ${events.map((event) => event.name).join(', ')}`),
        );
      }, timeoutMs);
      const listener = () => {
        const hit = check();
        if (hit) {
          clearTimeout(timer);
          socket.offAny(listener);
          resolve(hit);
        }
      };
      socket.onAny(listener);
    });
  }

  const terminalOf = (turnId: string) =>
    waitFor(
      (event) =>
        (event.name === 'chat:done' || event.name === 'chat:error') &&
        event.payload.turnId === turnId,
    );

  return {
    socket,
    events,
    waitFor,
    terminalOf,
    eventsOf: (turnId: string) => events.filter((event) => event.payload.turnId === turnId),
    close: () => socket.close(),
  };
}

/** Tries to connect and returns the handshake refusal's code (connect_error.message). */
export function handshakeRefusal(baseUrl: string, token: string | undefined): Promise<string> {
  const socket = io(baseUrl, {
    path: '/socket.io',
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('connected, expected a refusal'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}
