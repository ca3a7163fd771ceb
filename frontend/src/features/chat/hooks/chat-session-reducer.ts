import type { ChatDeltaEvent } from '@hintbook/contracts';
import {
  answerPlaceholder,
  fromStored,
  initialChatSessionState,
  type ActiveTurn,
  type ChatSessionAction,
  type ChatSessionState,
  type ChatViewMessage,
} from './chat-session-state';

/*
 * How one conversation changes, as a pure function of events: REST pages, the student's own
 * sends and retries, and the socket's turn events. Events are matched by turn id and applied
 * by seq, so duplicates, replays after a reconnect and early arrivals are all harmless.
 */

function updateMessage(
  messages: ChatViewMessage[],
  key: string,
  change: (message: ChatViewMessage) => ChatViewMessage,
): ChatViewMessage[] {
  return messages.map((message) => (message.key === key ? change(message) : message));
}

/** Does this event belong to the turn on screen? Matched by turn id, or by our client id. */
function isOurTurn(state: ChatSessionState, turnId: string, clientMessageId?: string): boolean {
  const { turn } = state;
  if (!turn) return false;
  if (turn.turnId !== null) return turn.turnId === turnId;
  return clientMessageId !== undefined && turn.clientMessageId === clientMessageId;
}

function announce(state: ChatSessionState, text: string): ChatSessionState['announcement'] {
  return { id: (state.announcement?.id ?? 0) + 1, text };
}

/** After a full load, an answer still streaming is the running turn: resume it from the start. */
function loadedState(
  state: ChatSessionState,
  action: Extract<ChatSessionAction, { type: 'loaded' }>,
): ChatSessionState {
  const { nextCursor } = action;
  const view = action.messages.map(fromStored);
  const last = view.at(-1);
  let turn: ActiveTurn | null = null;
  if (last?.role === 'assistant' && last.status === 'streaming' && last.id) {
    const isLost = action.lostTurnIds?.has(last.id) ?? false;
    // The server's turn id is the answer's message id. A resume replays from seq 1, so the
    // stored partial text is dropped to avoid showing it twice.
    turn = {
      turnId: last.id,
      clientMessageId: null,
      answerKey: last.key,
      lastSeq: isLost ? Infinity : 0,
      early: {},
    };
    if (!isLost) view[view.length - 1] = { ...last, content: '' };
  }
  return {
    ...state,
    messages: view,
    nextCursor,
    isLoading: false,
    loadError: null,
    turn,
    isStale: false,
  };
}

function applyDelta(state: ChatSessionState, event: ChatDeltaEvent): ChatSessionState {
  const { turn } = state;
  if (!turn || turn.turnId !== event.turnId) return state;
  if (event.seq <= turn.lastSeq || event.seq in turn.early) return state; // a replayed duplicate
  const early = {
    ...turn.early,
    [event.seq]: { text: event.text, replace: event.replace === true },
  };
  let lastSeq = turn.lastSeq;
  let appended = '';
  // The answer guard withdrew a draft: the text shown so far goes, this delta starts afresh.
  let isReplaced = false;
  for (let next = early[lastSeq + 1]; next !== undefined; next = early[lastSeq + 1]) {
    lastSeq += 1;
    if (next.replace) {
      appended = '';
      isReplaced = true;
    }
    appended += next.text;
    delete early[lastSeq];
  }
  if (lastSeq === turn.lastSeq) return { ...state, turn: { ...turn, early } };
  return {
    ...state,
    turn: { ...turn, lastSeq, early },
    messages: updateMessage(state.messages, turn.answerKey, (message) => ({
      ...message,
      content: (isReplaced ? '' : message.content) + appended,
    })),
  };
}

function finishTurn(
  state: ChatSessionState,
  turnId: string,
  messageId: string | null,
  change: (message: ChatViewMessage) => ChatViewMessage,
  announcement: string,
): ChatSessionState {
  const isActive = state.turn?.turnId === turnId;
  const key = isActive
    ? state.turn!.answerKey
    : state.messages.find((message) => message.id !== null && message.id === messageId)?.key;
  if (key === undefined) return { ...state, isStale: true }; // another tab's turn we never saw
  const before = state.messages.find((message) => message.key === key);
  const wasStreaming = before?.status === 'streaming';
  return {
    ...state,
    turn: isActive ? null : state.turn,
    messages: updateMessage(state.messages, key, change),
    announcement: wasStreaming ? announce(state, announcement) : state.announcement,
  };
}

export function chatSessionReducer(
  state: ChatSessionState,
  action: ChatSessionAction,
): ChatSessionState {
  switch (action.type) {
    case 'reset':
      return initialChatSessionState(action.sessionId);
    case 'loaded':
      if (action.sessionId !== state.sessionId) return state;
      return loadedState(state, action);
    case 'loadFailed':
      if (action.sessionId !== state.sessionId) return state;
      return { ...state, isLoading: false, loadError: action.message };
    case 'olderLoaded': {
      if (action.sessionId !== state.sessionId) return state;
      const known = new Set(state.messages.map((message) => message.id));
      const older = action.messages.filter((message) => !known.has(message.id)).map(fromStored);
      return { ...state, messages: [...older, ...state.messages], nextCursor: action.nextCursor };
    }
    case 'sendStarted': {
      const { clientMessageId, content, replacesMessageId } = action;
      const cut = replacesMessageId
        ? state.messages.findIndex((message) => message.id === replacesMessageId)
        : -1;
      const kept = cut === -1 ? state.messages : state.messages.slice(0, cut);
      const replaced = cut === -1 ? [] : state.messages.slice(cut);
      const question: ChatViewMessage = {
        ...answerPlaceholder(`local:${clientMessageId}`),
        role: 'user',
        content,
        status: 'sending',
      };
      const answerKey = `answer:${clientMessageId}`;
      return {
        ...state,
        messages: [...kept, question, answerPlaceholder(answerKey)],
        pendingSend: { clientMessageId, replaced, isWaitingForConnection: false },
        turn: { turnId: null, clientMessageId, answerKey, lastSeq: 0, early: {} },
        notice: null,
      };
    }
    case 'sendWaiting':
      if (state.pendingSend?.clientMessageId !== action.clientMessageId) return state;
      return { ...state, pendingSend: { ...state.pendingSend, isWaitingForConnection: true } };
    case 'sendRejected': {
      const { pendingSend } = state;
      if (pendingSend?.clientMessageId !== action.clientMessageId) return state;
      const ours = new Set([`local:${action.clientMessageId}`, `answer:${action.clientMessageId}`]);
      return {
        ...state,
        messages: [
          ...state.messages.filter((message) => !ours.has(message.key)),
          ...pendingSend.replaced,
        ],
        pendingSend: null,
        turn: null,
        notice: action.error,
      };
    }
    case 'sendAcked': {
      if (state.pendingSend?.clientMessageId !== action.clientMessageId) return state;
      const questionKey = `local:${action.clientMessageId}`;
      const messages = updateMessage(state.messages, questionKey, (message) => ({
        ...message,
        id: action.userMessageId,
        status: 'complete',
      }));
      // A duplicate ack for a question whose answer never started: only the server knows more.
      const turn =
        state.turn && action.turnId ? { ...state.turn, turnId: action.turnId } : state.turn;
      return {
        ...state,
        sessionId: state.sessionId ?? action.sessionId,
        messages,
        pendingSend: null,
        turn,
        isStale: state.isStale || !action.turnId,
      };
    }
    case 'retryStarted':
      return { ...state, isRetrying: true, notice: null };
    case 'retryAcked': {
      // The failed or stopped answer gives way to the new one, as it does on the server.
      const lastQuestion = state.messages.findLastIndex((message) => message.role === 'user');
      const answerKey = `answer:${action.turnId}`;
      return {
        ...state,
        isRetrying: false,
        messages: [
          ...state.messages.slice(0, lastQuestion + 1),
          answerPlaceholder(answerKey, action.turnId),
        ],
        turn: { turnId: action.turnId, clientMessageId: null, answerKey, lastSeq: 0, early: {} },
      };
    }
    case 'retryRejected':
      return { ...state, isRetrying: false, notice: action.error };
    case 'turn': {
      const { event } = action;
      const isOurs = isOurTurn(state, event.turnId, event.clientMessageId);
      if (!isOurs) {
        const isThisSession = state.sessionId !== null && event.sessionId === state.sessionId;
        // A question asked in another tab: the history here is out of date.
        return isThisSession ? { ...state, isStale: true } : state;
      }
      const turn = state.turn!;
      return {
        ...state,
        sessionId: state.sessionId ?? event.sessionId,
        turn: { ...turn, turnId: event.turnId },
        messages: state.messages.map((message) => {
          if (message.key === turn.answerKey) return { ...message, id: event.assistantMessageId };
          if (message.key === `local:${event.clientMessageId}`) {
            return { ...message, id: event.userMessageId, status: 'complete' };
          }
          return message;
        }),
      };
    }
    case 'meta': {
      const { turn } = state;
      if (!turn || turn.turnId !== action.event.turnId) return state;
      const { hintCue, sources } = action.event;
      return {
        ...state,
        messages: updateMessage(state.messages, turn.answerKey, (message) => ({
          ...message,
          hintCue,
          sources,
        })),
      };
    }
    case 'delta':
      return applyDelta(state, action.event);
    case 'done': {
      const { event } = action;
      if (event.sessionId !== state.sessionId) return state;
      return finishTurn(
        state,
        event.turnId,
        event.messageId,
        (message) => ({
          ...message,
          id: event.messageId,
          content: event.content,
          status: event.status,
        }),
        event.status === 'interrupted'
          ? `Answer stopped. ${event.content}`
          : `The tutor answered: ${event.content}`,
      );
    }
    case 'error': {
      const { event } = action;
      if (event.sessionId !== state.sessionId) return state;
      return finishTurn(
        state,
        event.turnId,
        event.messageId,
        (message) => ({
          ...message,
          id: event.messageId ?? message.id,
          content: event.content,
          status: 'error',
          errorCode: event.code,
          errorMessage: event.message,
          isRetryable: event.retryable,
        }),
        `The answer could not be finished. ${event.message}`,
      );
    }
    case 'resumeLost':
      return {
        ...state,
        turn: state.turn ? { ...state.turn, lastSeq: Infinity, early: {} } : null,
        isStale: true,
      };
    case 'markStale':
      return { ...state, isStale: true };
    case 'dismissNotice':
      return { ...state, notice: null };
  }
}
