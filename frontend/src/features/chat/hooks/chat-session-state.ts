import type {
  ChatDeltaEvent,
  ChatDoneEvent,
  ChatErrorEvent,
  ChatMessage,
  ChatMetaEvent,
  ChatTurnEvent,
  MaterialSource,
  MessageStatus,
  RealtimeError,
} from '@hintbook/contracts';

/** A message as the page shows it: a stored one, or one this tab is still sending or receiving. */
export interface ChatViewMessage {
  /** Stable React key: the server id for loaded messages, a local one for optimistic ones. */
  key: string;
  /** Null until the server has told us the id. */
  id: string | null;
  role: 'user' | 'assistant';
  content: string;
  /** `sending`: a question not acknowledged yet. */
  status: MessageStatus | 'sending';
  hintCue: string | null;
  /** Course material the answer drew on, shown under it as short citations. */
  sources: MaterialSource[];
  errorCode: string | null;
  errorMessage: string | null;
  isRetryable: boolean;
  createdAt: string;
}

export interface ActiveTurn {
  /** Null until the send is acknowledged. */
  turnId: string | null;
  clientMessageId: string | null;
  /** Key of the answer being written. */
  answerKey: string;
  /** Highest delta applied; Infinity means "ignore deltas, wait for the final text". */
  lastSeq: number;
  /** Deltas that arrived ahead of a gap, by seq, applied once the gap fills. */
  early: Record<number, { text: string; replace: boolean }>;
}

export interface PendingSend {
  clientMessageId: string;
  /** Removed by an edit-and-resend; put back if the server refuses the new question. */
  replaced: ChatViewMessage[];
  isWaitingForConnection: boolean;
}

export interface ChatSessionState {
  /** Null for a new conversation until the first question creates it. */
  sessionId: string | null;
  messages: ChatViewMessage[];
  nextCursor: string | null;
  isLoading: boolean;
  loadError: string | null;
  turn: ActiveTurn | null;
  pendingSend: PendingSend | null;
  isRetrying: boolean;
  /** The last refusal of a send or retry, shown until dismissed or the next attempt. */
  notice: RealtimeError | null;
  /** For the live region: bumped `id` makes screen readers hear the same text twice. */
  announcement: { id: number; text: string } | null;
  /** Events show that what is on screen no longer matches the server: reload it. */
  isStale: boolean;
}

export type ChatSessionAction =
  | { type: 'reset'; sessionId: string | null }
  | {
      type: 'loaded';
      sessionId: string;
      messages: ChatMessage[];
      nextCursor: string | null;
      /** Turns a resume already failed to replay: show their stored text, don't resume again. */
      lostTurnIds?: ReadonlySet<string>;
    }
  | { type: 'loadFailed'; sessionId: string; message: string }
  | { type: 'olderLoaded'; sessionId: string; messages: ChatMessage[]; nextCursor: string | null }
  | { type: 'sendStarted'; clientMessageId: string; content: string; replacesMessageId?: string }
  | { type: 'sendWaiting'; clientMessageId: string }
  | { type: 'sendRejected'; clientMessageId: string; error: RealtimeError }
  | {
      type: 'sendAcked';
      clientMessageId: string;
      sessionId: string;
      userMessageId: string;
      turnId: string;
    }
  | { type: 'retryStarted' }
  | { type: 'retryAcked'; turnId: string }
  | { type: 'retryRejected'; error: RealtimeError }
  | { type: 'turn'; event: ChatTurnEvent }
  | { type: 'meta'; event: ChatMetaEvent }
  | { type: 'delta'; event: ChatDeltaEvent }
  | { type: 'done'; event: ChatDoneEvent }
  | { type: 'error'; event: ChatErrorEvent }
  /** Resume could not replay the turn: wait for the final text only, and reload. */
  | { type: 'resumeLost' }
  /** Something happened we could not follow (a lost ack): reload from the server. */
  | { type: 'markStale' }
  | { type: 'dismissNotice' };

export function initialChatSessionState(sessionId: string | null): ChatSessionState {
  return {
    sessionId,
    messages: [],
    nextCursor: null,
    isLoading: sessionId !== null,
    loadError: null,
    turn: null,
    pendingSend: null,
    isRetrying: false,
    notice: null,
    announcement: null,
    isStale: false,
  };
}

export function fromStored(message: ChatMessage): ChatViewMessage {
  return {
    key: message.id,
    id: message.id,
    role: message.role,
    content: message.content,
    status: message.status,
    hintCue: message.hintCue,
    sources: message.sources,
    errorCode: message.errorCode,
    errorMessage: null,
    isRetryable: message.status === 'error',
    createdAt: message.createdAt,
  };
}

export function answerPlaceholder(key: string, id: string | null = null): ChatViewMessage {
  return {
    key,
    id,
    role: 'assistant',
    content: '',
    status: 'streaming',
    hintCue: null,
    sources: [],
    errorCode: null,
    errorMessage: null,
    isRetryable: false,
    createdAt: new Date().toISOString(),
  };
}
