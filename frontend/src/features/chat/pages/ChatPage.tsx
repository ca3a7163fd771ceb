import { useCallback, useId, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Page } from '../../../components/Page';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { PolicyNotice } from '../../exercises/components/PolicyNotice';
import { AllowanceMeter } from '../components/AllowanceMeter';
import { AnswerAnnouncer } from '../components/AnswerAnnouncer';
import { Composer } from '../components/Composer';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { MessageList } from '../components/MessageList';
import { SessionsSidebar } from '../components/SessionsSidebar';
import { ChatNotice } from '../components/ChatNotice';
import { useChatSession } from '../hooks/useChatSession';
import { useChatSocket, useConnectionState } from '../hooks/useChatSocket';
import { useExamPolicies } from '../hooks/useExamPolicies';
import { useMyUsage } from '../hooks/useMyUsage';
import { useSessions } from '../hooks/useSessions';

/** The tutor: conversations on the side, the open one in the middle, the question box below. */
export function ChatPage() {
  const { sessionId: routeSessionId = null } = useParams();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const connection = useChatSocket();
  const connectionState = useConnectionState(connection);
  const sessions = useSessions();
  const { usage, refresh: refreshUsage } = useMyUsage();
  const examPolicies = useExamPolicies();
  const [isSidebarOpen, setIsSidebarOpen] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const sidebarId = useId();
  const { reload: reloadSessions } = sessions;

  const handleSessionCreated = useCallback(
    (id: string) => {
      reloadSessions();
      void navigate(`/chat/${id}`, { replace: true });
    },
    [navigate, reloadSessions],
  );
  const chat = useChatSession(routeSessionId, connection, {
    onSessionCreated: handleSessionCreated,
    onSessionsChanged: reloadSessions,
    onUsageChanged: refreshUsage,
  });
  const { state, send, retry, loadOlder } = chat;
  const isTurnActive = state.turn !== null;

  const handleEdit = useCallback(
    async (messageId: string, content: string) => {
      const isAccepted = await send(content, messageId);
      // The edited bubble is gone; the question box is where the conversation continues.
      if (isAccepted) composerRef.current?.focus();
      return isAccepted;
    },
    [send],
  );

  function focusComposerSoon() {
    requestAnimationFrame(() => composerRef.current?.focus());
  }

  function handleNewChat() {
    setIsSidebarOpen(false);
    void navigate('/chat');
    focusComposerSoon();
  }

  function handleDeleted(id: string) {
    if (id === state.sessionId) void navigate('/chat', { replace: true });
  }

  const title =
    sessions.sessions.find((session) => session.id === state.sessionId)?.title ??
    (state.sessionId ? 'Chat' : 'New chat');
  const canSend = usage?.tutorAvailable !== false && usage?.installationPaused !== true;
  const composerStatus = state.pendingSend?.isWaitingForConnection
    ? 'Waiting for the connection: your question is sent as soon as it is back.'
    : connectionState.status === 'offline'
      ? 'You are offline. Your draft is kept.'
      : isTurnActive
        ? 'The tutor is answering. You can stop the answer at any time.'
        : null;

  return (
    <Page title={title} heading="Tutor">
      <div className="chat">
        <div className="chat-toolbar">
          <button
            type="button"
            className="button button-secondary chat-sessions-toggle"
            aria-expanded={isSidebarOpen}
            aria-controls={sidebarId}
            onClick={() => setIsSidebarOpen((isOpen) => !isOpen)}
          >
            {isSidebarOpen ? 'Hide chats' : 'Your chats'}
          </button>
          <ConnectionBadge state={connectionState} onRetry={connection.retryNow} />
          <AllowanceMeter usage={usage} />
        </div>

        <SessionsSidebar
          id={sidebarId}
          sessions={sessions}
          isOpen={isSidebarOpen}
          onNewChat={handleNewChat}
          onOpenSession={() => setIsSidebarOpen(false)}
          onDeleted={handleDeleted}
        />

        <section className="chat-main" aria-labelledby={`${sidebarId}-title`}>
          <h2 className="chat-title" id={`${sidebarId}-title`}>
            {title}
          </h2>
          {examPolicies.map((policy) => (
            <PolicyNotice key={policy.text} policy={policy} />
          ))}
          <ChatNotice notice={state.notice} usage={usage} onDismiss={chat.dismissNotice} />

          {state.loadError ? (
            <Alert tone="error">{state.loadError}</Alert>
          ) : state.isLoading ? (
            <p className="loading" role="status">
              Loading the conversation…
            </p>
          ) : state.messages.length === 0 ? (
            <div className="chat-empty prose">
              <p>
                Ask about your code, an error message or an idea you are stuck on. The tutor starts
                with hints and gets more concrete only when you need it.
              </p>
            </div>
          ) : (
            <MessageList
              messages={state.messages}
              isTurnActive={isTurnActive}
              hasOlder={state.nextCursor !== null}
              isLoadingOlder={chat.isLoadingOlder}
              isRetrying={state.isRetrying}
              onLoadOlder={loadOlder}
              onEdit={handleEdit}
              onRetry={retry}
            />
          )}

          <Composer
            key={`${user.id}:${routeSessionId ?? state.sessionId ?? 'new'}`}
            draftKey={`${user.id}:${routeSessionId ?? state.sessionId ?? 'new'}`}
            inputRef={composerRef}
            isTurnActive={isTurnActive}
            canSend={canSend}
            status={composerStatus}
            onSend={send}
            onStop={chat.stop}
          />
        </section>
        <AnswerAnnouncer announcement={state.announcement} />
      </div>
    </Page>
  );
}
