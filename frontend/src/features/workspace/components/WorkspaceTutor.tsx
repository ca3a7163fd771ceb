import { useCallback, useEffect, useRef, useState } from 'react';
import type { NotebookContext, NotebookRef } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { AnswerAnnouncer } from '../../chat/components/AnswerAnnouncer';
import { Composer } from '../../chat/components/Composer';
import { ConnectionBadge } from '../../chat/components/ConnectionBadge';
import { MessageList } from '../../chat/components/MessageList';
import { ChatNotice } from '../../chat/components/ChatNotice';
import { useChatSession } from '../../chat/hooks/useChatSession';
import { useChatSocket, useConnectionState } from '../../chat/hooks/useChatSocket';
import { useMyUsage } from '../../chat/hooks/useMyUsage';
import { listNotebookSessions } from '../api';

interface WorkspaceTutorProps {
  notebook: NotebookRef;
  /** The live notebook (active cell, last error), read just before each question. */
  getContext(): Promise<NotebookContext | undefined>;
}

type Lookup = { status: 'loading' } | { status: 'done' } | { status: 'failed'; message: string };

/**
 * The tutor beside the notebook: the chat page's own pieces, scoped to this notebook. It picks
 * up the notebook's latest conversation; the first question otherwise starts one.
 */
export function WorkspaceTutor({ notebook, getContext }: WorkspaceTutorProps) {
  const user = useCurrentUser();
  const connection = useChatSocket();
  const connectionState = useConnectionState(connection);
  const { usage, refresh: refreshUsage } = useMyUsage();
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [lookup, setLookup] = useState<Lookup>({ status: 'loading' });
  const composerRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    listNotebookSessions(notebook.id, controller.signal).then(
      (sessions) => {
        setSessionId(sessions[0]?.id ?? null);
        setLookup({ status: 'done' });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLookup({
          status: 'failed',
          message: error instanceof Error ? error.message : 'Could not load the conversation.',
        });
      },
    );
    return () => controller.abort();
  }, [notebook.id]);

  const noop = useCallback(() => {}, []);
  const chat = useChatSession(sessionId, connection, {
    notebook,
    getContext,
    onSessionCreated: setSessionId,
    onSessionsChanged: noop,
    onUsageChanged: refreshUsage,
  });
  const { state } = chat;
  const isTurnActive = state.turn !== null;
  const canSend =
    lookup.status === 'done' &&
    usage?.tutorAvailable !== false &&
    usage?.installationPaused !== true;
  const composerStatus = state.pendingSend?.isWaitingForConnection
    ? 'Waiting for the connection: your question is sent as soon as it is back.'
    : connectionState.status === 'offline'
      ? 'You are offline. Your draft is kept.'
      : isTurnActive
        ? 'The tutor is answering. You can stop the answer at any time.'
        : null;
  const draftKey = `${user.id}:notebook:${notebook.id}:${sessionId ?? 'new'}`;

  return (
    <section className="workspace-tutor" aria-labelledby="workspace-tutor-title">
      <div className="workspace-tutor-header">
        <h2 id="workspace-tutor-title" className="workspace-tutor-title">
          Tutor
        </h2>
        <ConnectionBadge state={connectionState} onRetry={connection.retryNow} />
        {sessionId && !isTurnActive ? (
          <Button
            variant="quiet"
            onClick={() => {
              setSessionId(null);
              composerRef.current?.focus();
            }}
          >
            New conversation
          </Button>
        ) : null}
      </div>
      <ChatNotice notice={state.notice} usage={usage} onDismiss={chat.dismissNotice} />
      {lookup.status === 'failed' ? (
        <Alert tone="error">{lookup.message}</Alert>
      ) : state.loadError ? (
        <Alert tone="error">{state.loadError}</Alert>
      ) : lookup.status === 'loading' || state.isLoading ? (
        <p className="loading" role="status">
          Loading the conversation…
        </p>
      ) : state.messages.length === 0 ? (
        <div className="chat-empty prose">
          <p>
            Stuck on a cell or an error? Ask here. The tutor sees the cell you are on and the last
            error, and starts with hints.
          </p>
        </div>
      ) : (
        <MessageList
          messages={state.messages}
          isTurnActive={isTurnActive}
          hasOlder={state.nextCursor !== null}
          isLoadingOlder={chat.isLoadingOlder}
          isRetrying={state.isRetrying}
          onLoadOlder={chat.loadOlder}
          onEdit={(messageId, content) => chat.send(content, messageId)}
          onRetry={chat.retry}
        />
      )}
      <Composer
        key={draftKey}
        draftKey={draftKey}
        inputRef={composerRef}
        isTurnActive={isTurnActive}
        canSend={canSend}
        status={composerStatus}
        onSend={chat.send}
        onStop={chat.stop}
      />
      <AnswerAnnouncer announcement={state.announcement} />
    </section>
  );
}
