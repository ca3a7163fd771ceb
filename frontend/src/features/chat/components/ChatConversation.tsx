import { useCallback, type ReactNode, type RefObject } from 'react';
import type { MyUsageResponse } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import type { ConnectionState } from '../../../lib/socket';
import type { useChatSession } from '../hooks/useChatSession';
import { AnswerAnnouncer } from './AnswerAnnouncer';
import { ChatNotice } from './ChatNotice';
import { Composer } from './Composer';
import { MessageList } from './MessageList';

/** Finding which conversation to show, when the page has to ask first (the workspace does). */
export type SessionLookup =
  { status: 'loading' } | { status: 'done' } | { status: 'failed'; message: string };

const lookupDone: SessionLookup = { status: 'done' };

interface ChatConversationProps {
  chat: ReturnType<typeof useChatSession>;
  connectionState: ConnectionState;
  usage: MyUsageResponse | null;
  /** Keys the question box's saved draft (and remounts it when the conversation changes). */
  draftKey: string;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  /** What an empty conversation says: where the tutor is and what it can see. */
  emptyHint: ReactNode;
  sessionLookup?: SessionLookup;
  /**
   * Shown just above the question box (the workspace: what the tutor will see). With an `id`,
   * screen readers read it as the box's description, not only as the text before it.
   */
  aboveComposer?: { node: ReactNode; id?: string };
}

/**
 * One conversation with the tutor: why it may not answer, the messages, the question box and the
 * spoken answers. The chat page and the workspace's tutor pane both show it; each adds its own
 * header (sessions sidebar, "New conversation").
 */
export function ChatConversation({
  chat,
  connectionState,
  usage,
  draftKey,
  composerRef,
  emptyHint,
  sessionLookup = lookupDone,
  aboveComposer,
}: ChatConversationProps) {
  const { state, send } = chat;
  const isTurnActive = state.turn !== null;
  const canSend =
    sessionLookup.status === 'done' &&
    usage?.tutorAvailable !== false &&
    usage?.installationPaused !== true;
  const composerStatus = state.pendingSend?.isWaitingForConnection
    ? 'Waiting for the connection: your question is sent as soon as it is back.'
    : connectionState.status === 'offline'
      ? 'You are offline. Your draft is kept.'
      : isTurnActive
        ? 'The tutor is answering. You can stop the answer at any time.'
        : null;

  const handleEdit = useCallback(
    async (messageId: string, content: string) => {
      const isAccepted = await send(content, messageId);
      // The edited bubble is gone; the question box is where the conversation continues.
      if (isAccepted) composerRef.current?.focus();
      return isAccepted;
    },
    [send, composerRef],
  );

  return (
    <>
      <ChatNotice notice={state.notice} usage={usage} onDismiss={chat.dismissNotice} />
      {sessionLookup.status === 'failed' ? (
        <Alert tone="error">{sessionLookup.message}</Alert>
      ) : state.loadError ? (
        <Alert tone="error">{state.loadError}</Alert>
      ) : sessionLookup.status === 'loading' || state.isLoading ? (
        <p className="loading" role="status">
          Loading the conversation…
        </p>
      ) : state.messages.length === 0 ? (
        <div className="chat-empty prose">{emptyHint}</div>
      ) : (
        <MessageList
          messages={state.messages}
          isTurnActive={isTurnActive}
          hasOlder={state.nextCursor !== null}
          isLoadingOlder={chat.isLoadingOlder}
          isRetrying={state.isRetrying}
          onLoadOlder={chat.loadOlder}
          onEdit={handleEdit}
          onRetry={chat.retry}
        />
      )}
      {aboveComposer?.node}
      <Composer
        key={draftKey}
        draftKey={draftKey}
        inputRef={composerRef}
        isTurnActive={isTurnActive}
        canSend={canSend}
        status={composerStatus}
        maxLength={usage?.messageMaxLength}
        onSend={send}
        onStop={chat.stop}
        describedBy={aboveComposer?.id}
      />
      <AnswerAnnouncer announcement={state.announcement} />
    </>
  );
}
