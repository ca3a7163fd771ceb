import { lazy, memo, Suspense, useState } from 'react';
import { Button } from '../../../components/Button';
import type { ChatViewMessage } from '../hooks/chat-session-state';
import { EditQuestionForm } from './EditQuestionForm';
import { MessageSources } from './MessageSources';

// The Markdown, maths and highlighting stack is most of the chat's weight: fetched on first
// answer, while the plain text shows.
const MarkdownMessage = lazy(() => import('./MarkdownMessage'));

/** For answers stored with an error, which come without the server's words. */
const storedErrorMessages: Record<string, string> = {
  'ai.provider_unavailable': 'The tutor could not be reached for this answer.',
  'ai.interrupted': 'This answer was cut off.',
};

interface MessageBubbleProps {
  message: ChatViewMessage;
  /** The conversation's last question, with no answer running: it may be edited and resent. */
  canEdit: boolean;
  /** The last answer, failed or stopped, with nothing running: it may be asked for again. */
  canRetry: boolean;
  isRetrying: boolean;
  onEdit(messageId: string, content: string): Promise<boolean>;
  onRetry(): void;
}

function Answer({ message }: { message: ChatViewMessage }) {
  if (message.content === '' && message.status === 'streaming') {
    return <p className="message-thinking">The tutor is thinking…</p>;
  }
  return (
    <Suspense fallback={<p className="message-plain">{message.content}</p>}>
      <MarkdownMessage content={message.content} />
    </Suspense>
  );
}

/** One question or answer; memoised so a streaming answer re-renders only itself. */
export const MessageBubble = memo(function MessageBubble({
  message,
  canEdit,
  canRetry,
  isRetrying,
  onEdit,
  onRetry,
}: MessageBubbleProps) {
  const [isEditing, setIsEditing] = useState(false);
  const isUser = message.role === 'user';

  return (
    <article
      className={`message message-${message.role} message-${message.status}`}
      aria-label={isUser ? 'You asked' : 'The tutor answered'}
    >
      <header className="message-header">
        <span className="message-author">{isUser ? 'You' : 'Tutor'}</span>
        {!isUser && message.hintCue ? (
          <span className="message-cue">
            <span className="visually-hidden">, giving </span>
            {message.hintCue}
          </span>
        ) : null}
        {message.status === 'sending' ? <span className="message-cue">sending…</span> : null}
      </header>

      {isUser && isEditing && message.id ? (
        <EditQuestionForm
          initial={message.content}
          onCancel={() => setIsEditing(false)}
          onSubmit={(content) => onEdit(message.id!, content)}
        />
      ) : isUser ? (
        <p className="message-plain">{message.content}</p>
      ) : (
        <Answer message={message} />
      )}

      {!isUser ? <MessageSources sources={message.sources} /> : null}

      {message.status === 'interrupted' ? (
        <p className="message-note">Stopped: this answer is incomplete.</p>
      ) : null}
      {message.status === 'error' ? (
        <p className="message-note message-note-error">
          {message.errorMessage ??
            storedErrorMessages[message.errorCode ?? ''] ??
            'The tutor could not finish this answer.'}
        </p>
      ) : null}

      {(canEdit && !isEditing) || canRetry ? (
        <div className="message-actions">
          {canEdit && !isEditing ? (
            <Button variant="quiet" onClick={() => setIsEditing(true)}>
              Edit question
            </Button>
          ) : null}
          {canRetry ? (
            <Button
              variant="secondary"
              isBusy={isRetrying}
              busyLabel="Asking again…"
              onClick={onRetry}
            >
              {message.status === 'error' ? 'Retry' : 'Answer again'}
            </Button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
});
