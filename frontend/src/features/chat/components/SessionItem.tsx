import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { NavLink } from 'react-router';
import type { ChatSession } from '@hintbook/contracts';
import { Button } from '../../../components/Button';

interface SessionItemProps {
  session: ChatSession;
  onOpen(): void;
  /** Rejects with the server's error, which is shown beside the field. */
  onRename(title: string): Promise<void>;
  onDelete(): Promise<void>;
}

type Mode = 'view' | 'renaming' | 'confirming';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'That did not work. Please try again.';
}

/** One conversation in the sidebar, renamed in place and deleted only after a confirmation. */
export function SessionItem({ session, onOpen, onRename, onDelete }: SessionItemProps) {
  const [mode, setMode] = useState<Mode>('view');
  const [title, setTitle] = useState(session.title);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const linkRef = useRef<HTMLAnchorElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const id = useId();

  // Focus follows the mode: into the field, onto the safe "Cancel", and back to the link.
  useEffect(() => {
    if (mode === 'renaming') {
      inputRef.current?.focus();
      inputRef.current?.select();
    } else if (mode === 'confirming') cancelRef.current?.focus();
    else if (returnFocus.current) linkRef.current?.focus();
    returnFocus.current = false;
  }, [mode]);

  function backToView() {
    returnFocus.current = true;
    setError(null);
    setMode('view');
  }

  async function handleRename(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (isBusy) return;
    if (!trimmed) return setError('Give the chat a name.');
    if (trimmed === session.title) return backToView();
    setIsBusy(true);
    try {
      await onRename(trimmed);
      backToView();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsBusy(false);
    }
  }

  async function handleDelete() {
    if (isBusy) return;
    setIsBusy(true);
    try {
      await onDelete(); // the item unmounts; the sidebar moves focus
    } catch (caught) {
      setError(messageOf(caught));
      setIsBusy(false);
    }
  }

  function handleEscape(event: KeyboardEvent) {
    if (event.key === 'Escape') backToView();
  }

  if (mode === 'renaming') {
    return (
      <li className="session-item">
        <form className="session-rename" onSubmit={handleRename} onKeyDown={handleEscape}>
          <label className="visually-hidden" htmlFor={`${id}-title`}>
            New name for “{session.title}”
          </label>
          <input
            id={`${id}-title`}
            ref={inputRef}
            className="input"
            value={title}
            maxLength={120}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(event) => setTitle(event.target.value)}
          />
          {error ? (
            <p className="field-error" id={`${id}-error`}>
              {error}
            </p>
          ) : null}
          <div className="session-actions">
            <Button type="submit" isBusy={isBusy} busyLabel="Saving…">
              Save
            </Button>
            <Button variant="quiet" onClick={backToView}>
              Cancel
            </Button>
          </div>
        </form>
      </li>
    );
  }

  if (mode === 'confirming') {
    return (
      <li className="session-item">
        <div
          className="session-confirm"
          role="group"
          aria-labelledby={`${id}-question`}
          onKeyDown={handleEscape}
        >
          <p id={`${id}-question`}>Delete “{session.title}” and all its messages for good?</p>
          {error ? <p className="field-error">{error}</p> : null}
          <div className="session-actions">
            <Button variant="danger" isBusy={isBusy} busyLabel="Deleting…" onClick={handleDelete}>
              Delete
            </Button>
            <Button variant="quiet" ref={cancelRef} onClick={backToView}>
              Cancel
            </Button>
          </div>
        </div>
      </li>
    );
  }

  return (
    <li className="session-item">
      <NavLink className="session-link" to={`/chat/${session.id}`} ref={linkRef} onClick={onOpen}>
        {session.title}
      </NavLink>
      <div className="session-actions">
        <button
          type="button"
          className="session-action"
          aria-label={`Rename “${session.title}”`}
          onClick={() => {
            setTitle(session.title);
            setMode('renaming');
          }}
        >
          Rename
        </button>
        <button
          type="button"
          className="session-action"
          aria-label={`Delete “${session.title}”`}
          onClick={() => setMode('confirming')}
        >
          Delete
        </button>
      </div>
    </li>
  );
}
