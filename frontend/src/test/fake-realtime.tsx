import { act, type ReactNode } from 'react';
import type { ServerToClientEvents } from '@hintbook/contracts';
import { RealtimeContext } from '../features/chat/realtime-context';
import type {
  ChatSocket,
  ConnectionStatus,
  ConnectionState,
  RealtimeConnection,
} from '../lib/socket';

export interface EmittedEvent {
  event: string;
  payload: unknown;
  ack: (result: unknown) => void;
}

type Handler = (...args: unknown[]) => void;

/**
 * A stand-in for the signed-in session's socket: records what the page emits, lets a test play
 * the server's part (acks and events) and flip the connection status.
 */
export function createFakeRealtime(initialStatus: ConnectionStatus = 'connected') {
  const handlers = new Map<string, Set<Handler>>();
  const listeners = new Set<() => void>();
  const emitted: EmittedEvent[] = [];
  let state: ConnectionState = { status: initialStatus, message: null };

  const socket = {
    connected: initialStatus === 'connected',
    on(event: string, handler: Handler) {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)!.add(handler);
      return socket;
    },
    off(event: string, handler: Handler) {
      handlers.get(event)?.delete(handler);
      return socket;
    },
    emit(event: string, payload: unknown, ack: (result: unknown) => void) {
      emitted.push({ event, payload, ack });
      return socket;
    },
  };

  function fire(event: string, ...args: unknown[]) {
    for (const handler of [...(handlers.get(event) ?? [])]) handler(...args);
  }

  const connection: RealtimeConnection = {
    socket: socket as unknown as ChatSocket,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    open() {},
    retryNow() {},
    close() {},
  };

  return {
    connection,
    emitted,
    /** Emitted events named `event`, oldest first. */
    sent(event: string) {
      return emitted.filter((entry) => entry.event === event);
    },
    /** Plays a server event into the page. */
    serverEmit<E extends keyof ServerToClientEvents>(
      event: E,
      payload: Parameters<ServerToClientEvents[E]>[0],
    ) {
      act(() => fire(event, payload));
    },
    /** Answers an emitted request, and lets the page's promise chains settle. */
    async ack(entry: EmittedEvent | undefined, result: unknown) {
      if (!entry) throw new Error('Nothing was emitted to acknowledge');
      await act(async () => entry.ack(result));
    },
    setStatus(status: ConnectionStatus) {
      act(() => {
        const wasConnected = socket.connected;
        socket.connected = status === 'connected';
        state = { status, message: null };
        if (wasConnected && !socket.connected) fire('disconnect', 'transport close');
        for (const listener of [...listeners]) listener();
      });
    },
    wrapper({ children }: { children: ReactNode }) {
      return (
        <RealtimeContext.Provider value={() => connection}>{children}</RealtimeContext.Provider>
      );
    },
  };
}
