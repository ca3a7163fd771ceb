import { useLayoutEffect, useRef, useState } from 'react';
import { Button } from '../../../components/Button';
import type { ChatViewMessage } from '../hooks/chat-session-state';
import { MessageBubble } from './MessageBubble';

/** Within this many pixels of the bottom counts as "reading the latest". */
const PINNED_SLACK_PX = 48;

interface MessageListProps {
  messages: ChatViewMessage[];
  isTurnActive: boolean;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  isRetrying: boolean;
  onLoadOlder(): void;
  onEdit(messageId: string, content: string): Promise<boolean>;
  onRetry(): void;
}

/**
 * The conversation. Follows a streaming answer down unless the reader scrolled up to read
 * something else; keeps their place when older messages are added above.
 */
export function MessageList({
  messages,
  isTurnActive,
  hasOlder,
  isLoadingOlder,
  isRetrying,
  onLoadOlder,
  onEdit,
  onRetry,
}: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const isPinned = useRef(true);
  const heightBeforeOlder = useRef<number | null>(null);
  const [showJump, setShowJump] = useState(false);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    if (heightBeforeOlder.current !== null) {
      element.scrollTop += element.scrollHeight - heightBeforeOlder.current;
      heightBeforeOlder.current = null;
    } else if (isPinned.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [messages]);

  function handleScroll() {
    const element = scrollRef.current;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    isPinned.current = distance <= PINNED_SLACK_PX;
    setShowJump(!isPinned.current);
  }

  function handleLoadOlder() {
    heightBeforeOlder.current = scrollRef.current?.scrollHeight ?? null;
    onLoadOlder();
  }

  function handleJump() {
    const element = scrollRef.current;
    if (!element) return;
    isPinned.current = true;
    setShowJump(false);
    element.scrollTop = element.scrollHeight;
  }

  const lastQuestion = messages.findLast((message) => message.role === 'user');
  const last = messages.at(-1);
  const canRetryLast =
    !isTurnActive &&
    last?.role === 'assistant' &&
    (last.status === 'interrupted' || (last.status === 'error' && last.isRetryable));

  return (
    <div className="message-frame">
      <div
        ref={scrollRef}
        className="message-scroll"
        onScroll={handleScroll}
        tabIndex={0}
        role="region"
        aria-label="Conversation"
        aria-busy={isTurnActive || undefined}
      >
        {hasOlder ? (
          <div className="message-older">
            <Button
              variant="secondary"
              isBusy={isLoadingOlder}
              busyLabel="Loading older messages…"
              onClick={handleLoadOlder}
            >
              Load older messages
            </Button>
          </div>
        ) : null}
        {messages.map((message) => (
          <MessageBubble
            key={message.key}
            message={message}
            canEdit={!isTurnActive && message === lastQuestion && message.status === 'complete'}
            canRetry={canRetryLast && message === last}
            isRetrying={isRetrying}
            onEdit={onEdit}
            onRetry={onRetry}
          />
        ))}
      </div>
      {showJump && isTurnActive ? (
        <button type="button" className="button button-secondary message-jump" onClick={handleJump}>
          Jump to the latest
        </button>
      ) : null}
    </div>
  );
}
