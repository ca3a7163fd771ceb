import { useState } from 'react';
import type { ChatMessage, ChatSession } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { listUserMessages, listUserSessions } from '../api';
import { formatDateTime } from '../../../lib/format';
import { messageOf } from '../../../hooks/useAdminData';

interface TranscriptsProps {
  userId: string;
  canRead: boolean;
}

/** The person's conversations, opened on purpose (each read is audited), when allowed at all. */
export function Transcripts({ userId, canRead }: TranscriptsProps) {
  const [sessions, setSessions] = useState<ChatSession[] | null>(null);
  const [open, setOpen] = useState<{ session: ChatSession; messages: ChatMessage[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (!canRead) {
    return (
      <p>
        Reading students’ conversations is switched off on this installation (
        <code>ADMIN_CAN_READ_TRANSCRIPTS</code> is off). The operator can switch it on in the
        server’s environment; every read is then recorded in the audit log.
      </p>
    );
  }

  async function handleList() {
    setError(null);
    try {
      setSessions(await listUserSessions(userId));
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function handleOpen(session: ChatSession) {
    setError(null);
    try {
      setOpen({ session, messages: await listUserMessages(userId, session.id) });
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <div className="stack-small">
      <p>Opening a conversation is recorded in the audit log.</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {sessions === null ? (
        <div>
          <Button variant="secondary" onClick={() => void handleList()}>
            List conversations
          </Button>
        </div>
      ) : sessions.length === 0 ? (
        <p>No conversations.</p>
      ) : (
        <ul className="plain-list">
          {sessions.map((session) => (
            <li key={session.id}>
              <Button variant="quiet" onClick={() => void handleOpen(session)}>
                {session.title || 'Untitled'}
              </Button>{' '}
              <span className="cell-note">
                {formatDateTime(session.lastMessageAt ?? session.updatedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {open ? (
        <section className="transcript" aria-label={`Conversation: ${open.session.title}`}>
          <h3>{open.session.title || 'Untitled'}</h3>
          <ol className="plain-list">
            {open.messages.map((message) => (
              <li key={message.id} className={`transcript-${message.role}`}>
                <p className="cell-note">
                  {message.role === 'user' ? 'Student' : 'Tutor'} ·{' '}
                  {formatDateTime(message.createdAt)}
                </p>
                <p className="transcript-text">{message.content}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
