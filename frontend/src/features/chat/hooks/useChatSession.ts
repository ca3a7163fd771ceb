import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type {
  ChatDeltaEvent,
  ChatDoneEvent,
  ChatErrorEvent,
  ChatMetaEvent,
  ChatTurnEvent,
  ChatResumeAck,
  ChatSendAck,
  ChatSendPayload,
  NotebookContext,
  NotebookRef,
  RealtimeError,
} from '@hintbook/contracts';
import { randomId } from '../../../lib/ids';
import type { RealtimeConnection } from '../../../lib/socket';
import { listMessages } from '../api';
import { chatSessionReducer } from './chat-session-reducer';
import { initialChatSessionState } from './chat-session-state';
import { emitWithAck } from './emit-with-ack';

interface PendingRequest {
  payload: ChatSendPayload;
  resolve(isAccepted: boolean): void;
}

interface ChatSessionOptions {
  /** Called once the server created the conversation a first question started. */
  onSessionCreated(sessionId: string): void;
  /** A conversation appeared or got a title: the sidebar should reload. */
  onSessionsChanged(): void;
  /** An answer ended or a question was refused: the allowance may have moved. */
  onUsageChanged(): void;
  /** A workspace chat: a new conversation started here belongs to this notebook. */
  notebook?: NotebookRef;
  /** Asked before each question; what it returns (the live notebook) goes with the question. */
  getContext?(): Promise<NotebookContext | undefined>;
}

const connectionLost: RealtimeError = {
  code: 'client.connection_lost',
  message: 'The connection dropped before the tutor replied. Try again once you are back online.',
  retryable: true,
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Could not load this conversation.';
}

/**
 * One conversation: its history (REST) and its running turn (socket). Events go through a pure
 * reducer keyed by turn id and seq; this hook only wires the socket and the reconnect rules:
 * an unacknowledged question is resent with the same client id, a running turn is resumed.
 */
export function useChatSession(
  routeSessionId: string | null,
  connection: RealtimeConnection,
  options: ChatSessionOptions,
) {
  const [state, dispatch] = useReducer(chatSessionReducer, routeSessionId, initialChatSessionState);
  const [previousRoute, setPreviousRoute] = useState(routeSessionId);
  const [isLoadingOlder, setIsLoadingOlder] = useState(false);
  const pendingRef = useRef<PendingRequest | null>(null);
  const stateRef = useRef(state);
  const optionsRef = useRef(options);
  // Turns the server could not replay; their stored text is shown instead of resuming again.
  const lostTurnsRef = useRef(new Set<string>());
  const { socket } = connection;

  useEffect(() => {
    stateRef.current = state;
    optionsRef.current = options;
  });

  // Following a link to another conversation starts afresh; the route catching up with a
  // conversation this page just created does not.
  if (previousRoute !== routeSessionId) {
    setPreviousRoute(routeSessionId);
    if (routeSessionId !== state.sessionId) dispatch({ type: 'reset', sessionId: routeSessionId });
  }

  const resume = useCallback(
    async (sessionId: string, turnId: string, afterSeq: number) => {
      const ack = await emitWithAck<ChatResumeAck>(socket, (s, callback) =>
        s.emit('chat:resume', { sessionId, turnId, afterSeq }, callback),
      );
      if (ack === null) return; // dropped again: the next connect resumes
      if (!ack.ok || ack.state === 'unknown') {
        lostTurnsRef.current.add(turnId);
        dispatch({ type: 'resumeLost' });
      }
    },
    [socket],
  );

  const emitSend = useCallback(async () => {
    // Loops only when an ack is lost while still connected (the server was slow): resending
    // with the same client id is safe, the server stores a question once.
    while (true) {
      const pending = pendingRef.current;
      if (!pending) return;
      const { clientMessageId } = pending.payload;
      if (!socket.connected) {
        dispatch({ type: 'sendWaiting', clientMessageId }); // the next connect resends
        return;
      }
      const ack = await emitWithAck<ChatSendAck>(socket, (s, callback) =>
        s.emit('chat:send', pending.payload, callback),
      );
      if (pendingRef.current !== pending) return;
      if (ack === null) continue;
      pendingRef.current = null;
      if (!ack.ok) {
        dispatch({ type: 'sendRejected', clientMessageId, error: ack.error });
        pending.resolve(false);
        optionsRef.current.onUsageChanged();
        return;
      }
      dispatch({ type: 'sendAcked', clientMessageId, ...ack });
      pending.resolve(true);
      if (!pending.payload.sessionId) optionsRef.current.onSessionCreated(ack.sessionId);
      // A duplicate means the first attempt got through and its events may be behind us.
      if (ack.duplicate && ack.turnId) void resume(ack.sessionId, ack.turnId, 0);
      return;
    }
  }, [socket, resume]);

  // Server events. Filtering by session and turn is the reducer's job.
  useEffect(() => {
    const handleTurn = (event: ChatTurnEvent) => {
      dispatch({ type: 'turn', event });
      if (event.sessionTitle) optionsRef.current.onSessionsChanged();
    };
    const handleMeta = (event: ChatMetaEvent) => dispatch({ type: 'meta', event });
    const handleDelta = (event: ChatDeltaEvent) => dispatch({ type: 'delta', event });
    const handleDone = (event: ChatDoneEvent) => {
      dispatch({ type: 'done', event });
      optionsRef.current.onUsageChanged();
    };
    const handleError = (event: ChatErrorEvent) => {
      dispatch({ type: 'error', event });
      optionsRef.current.onUsageChanged();
    };
    socket.on('chat:turn', handleTurn);
    socket.on('chat:meta', handleMeta);
    socket.on('chat:delta', handleDelta);
    socket.on('chat:done', handleDone);
    socket.on('chat:error', handleError);
    return () => {
      socket.off('chat:turn', handleTurn);
      socket.off('chat:meta', handleMeta);
      socket.off('chat:delta', handleDelta);
      socket.off('chat:done', handleDone);
      socket.off('chat:error', handleError);
    };
  }, [socket]);

  // Back online: resend what was not acknowledged, catch up on the running answer.
  useEffect(() => {
    let wasConnected = connection.getState().status === 'connected';
    return connection.subscribe(() => {
      const isConnected = connection.getState().status === 'connected';
      if (isConnected && !wasConnected) {
        const { turn, sessionId } = stateRef.current;
        if (pendingRef.current) void emitSend();
        else if (sessionId && turn?.turnId && turn.lastSeq !== Infinity) {
          void resume(sessionId, turn.turnId, turn.lastSeq);
        }
      }
      wasConnected = isConnected;
    });
  }, [connection, emitSend, resume]);

  const { sessionId } = state;
  const needsLoad =
    sessionId !== null && (state.isLoading || (state.isStale && !state.pendingSend));
  useEffect(() => {
    if (!needsLoad || sessionId === null) return;
    const controller = new AbortController();
    listMessages(sessionId, { signal: controller.signal }).then(
      (page) => {
        const lostTurnIds = lostTurnsRef.current;
        dispatch({ type: 'loaded', sessionId, ...page, lostTurnIds });
        const last = page.messages.at(-1);
        const isRunning = last?.role === 'assistant' && last.status === 'streaming';
        if (isRunning && !lostTurnIds.has(last.id) && socket.connected) {
          void resume(sessionId, last.id, 0);
        }
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        dispatch({ type: 'loadFailed', sessionId, message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [needsLoad, sessionId, socket, resume]);

  const send = useCallback(
    (content: string, replacesMessageId?: string): Promise<boolean> => {
      const current = stateRef.current;
      if (current.pendingSend || current.turn || pendingRef.current) return Promise.resolve(false);
      const clientMessageId = randomId();
      const payload: ChatSendPayload = {
        clientMessageId,
        content,
        ...(current.sessionId ? { sessionId: current.sessionId } : {}),
        ...(replacesMessageId ? { replacesMessageId } : {}),
      };
      dispatch({ type: 'sendStarted', clientMessageId, content, replacesMessageId });
      const { notebook, getContext } = optionsRef.current;
      if (!current.sessionId && notebook) payload.notebook = notebook;
      if (!getContext) {
        return new Promise<boolean>((resolve) => {
          pendingRef.current = { payload, resolve };
          void emitSend();
        });
      }
      // Claimed at once, so a second send cannot slip in while the context is read.
      const pending: PendingRequest = { payload, resolve: () => {} };
      pendingRef.current = pending;
      return new Promise<boolean>((resolve) => {
        pending.resolve = resolve;
        void getContext()
          .catch(() => undefined)
          .then((context) => {
            if (pendingRef.current !== pending) return resolve(false);
            if (context) payload.context = context;
            void emitSend();
          });
      });
    },
    [emitSend],
  );

  const stop = useCallback(() => {
    const { sessionId: id, turn } = stateRef.current;
    if (!id || !turn) return;
    socket.emit(
      'chat:stop',
      { sessionId: id, ...(turn.turnId ? { turnId: turn.turnId } : {}) },
      () => {},
    );
  }, [socket]);

  const retry = useCallback(async () => {
    const { sessionId: id, turn, isRetrying } = stateRef.current;
    if (!id || turn || isRetrying) return;
    dispatch({ type: 'retryStarted' });
    const ack = await emitWithAck<ChatSendAck>(socket, (s, callback) =>
      s.emit('chat:retry', { sessionId: id, clientMessageId: randomId() }, callback),
    );
    if (ack === null) {
      // It may have started anyway; the reload shows which and resumes it.
      dispatch({ type: 'retryRejected', error: connectionLost });
      dispatch({ type: 'markStale' });
    } else if (!ack.ok) {
      dispatch({ type: 'retryRejected', error: ack.error });
      optionsRef.current.onUsageChanged();
    } else dispatch({ type: 'retryAcked', turnId: ack.turnId });
  }, [socket]);

  const loadOlder = useCallback(async () => {
    const { sessionId: id, nextCursor } = stateRef.current;
    if (!id || !nextCursor || isLoadingOlder) return;
    setIsLoadingOlder(true);
    try {
      const page = await listMessages(id, { before: nextCursor });
      dispatch({ type: 'olderLoaded', sessionId: id, ...page });
    } catch (error) {
      dispatch({ type: 'loadFailed', sessionId: id, message: errorMessage(error) });
    } finally {
      setIsLoadingOlder(false);
    }
  }, [isLoadingOlder]);

  const dismissNotice = useCallback(() => dispatch({ type: 'dismissNotice' }), []);

  return { state, isLoadingOlder, send, stop, retry, loadOlder, dismissNotice };
}
