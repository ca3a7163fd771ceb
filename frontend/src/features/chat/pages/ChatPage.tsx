import { useCallback, useId, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Page } from '../../../components/Page';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { PolicyNotice } from '../../exercises/components/PolicyNotice';
import { AllowanceMeter } from '../components/AllowanceMeter';
import { ChatConversation } from '../components/ChatConversation';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { SessionsSidebar } from '../components/SessionsSidebar';
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
  const { state } = chat;

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
  const draftKey = `${user.id}:${routeSessionId ?? state.sessionId ?? 'new'}`;

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
          <ChatConversation
            chat={chat}
            connectionState={connectionState}
            usage={usage}
            draftKey={draftKey}
            composerRef={composerRef}
            emptyHint={
              <p>
                Ask about your code, an error message or an idea you are stuck on. The tutor starts
                with hints and gets more concrete only when you need it.
              </p>
            }
          />
        </section>
      </div>
    </Page>
  );
}
