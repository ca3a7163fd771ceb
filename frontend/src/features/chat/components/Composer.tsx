import {
  useEffect,
  useId,
  useRef,
  type FormEvent,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import { MESSAGE_MAX_LENGTH_CAP } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { forgetSentDraft, useDraft, writeDraft } from '../hooks/useDraft';

interface ComposerProps {
  /** Which conversation's draft this is; remount (React `key`) when it changes. */
  draftKey: string;
  /** An answer is being written: sending waits, stopping is offered. */
  isTurnActive: boolean;
  /** False when the tutor cannot take questions at all (not set up, paused). */
  canSend: boolean;
  /** Shown under the box, e.g. why sending waits. */
  status?: string | null;
  /**
   * The longest question the tutor takes now (the installation's setting, from /api/me/usage);
   * the schema's cap until that is known.
   */
  maxLength?: number;
  /** Resolves true once the server has the question; false keeps the draft for another try. */
  onSend(content: string): Promise<boolean>;
  onStop(): void;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /** The id of text outside the box that describes it too (the workspace: what the tutor sees). */
  describedBy?: string;
}

/** Shows a counter only near the limit, where it helps. */
const COUNTER_FROM_SHARE = 0.9;

/** The question box: Enter sends, Shift+Enter starts a new line; the draft outlives the page. */
export function Composer({
  draftKey,
  isTurnActive,
  canSend,
  status,
  maxLength = MESSAGE_MAX_LENGTH_CAP,
  onSend,
  onStop,
  inputRef,
  describedBy,
}: ComposerProps) {
  const [draft, setDraft] = useDraft(draftKey);
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const textareaRef = inputRef ?? ownRef;
  const stopHadFocus = useRef(false);
  const id = useId();
  const isBlocked = isTurnActive || !canSend;
  // Over the limit the text stays in the box to be shortened: the server would refuse it.
  const isTooLong = draft.trim().length > maxLength;

  // The Stop button disappears when the answer ends. If it had focus (browsers differ on
  // whether removal fires blur), keep keyboard users in the box rather than on <body>.
  const wasTurnActive = useRef(isTurnActive);
  useEffect(() => {
    const hasEnded = wasTurnActive.current && !isTurnActive;
    wasTurnActive.current = isTurnActive;
    const isFocusLost = document.activeElement === null || document.activeElement === document.body;
    if (hasEnded && (stopHadFocus.current || isFocusLost)) textareaRef.current?.focus();
    if (hasEnded) stopHadFocus.current = false;
  }, [isTurnActive, textareaRef]);

  async function submit() {
    const content = draft.trim();
    if (!content || isBlocked || isTooLong) return;
    // Cleared on screen at once, but kept in storage until the server has it: a reload while
    // offline must not lose the question.
    setDraft('', { persist: false });
    const isAccepted = await onSend(content);
    if (isAccepted) {
      forgetSentDraft(draftKey, content);
    } else {
      const current = textareaRef.current;
      if (current && current.value === '') setDraft(content);
      else if (!current) writeDraft(draftKey, content);
    }
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    void submit();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // While an input method is composing (Japanese, Chinese...), Enter picks a candidate.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  }

  return (
    <form className="composer" onSubmit={handleSubmit} aria-label="Ask the tutor">
      <label className="visually-hidden" htmlFor={`${id}-input`}>
        Your question
      </label>
      <textarea
        id={`${id}-input`}
        ref={textareaRef}
        className="input composer-input"
        value={draft}
        rows={2}
        // The schema's cap, not `maxLength`: a pasted text longer than the limit is kept whole,
        // to be shortened, rather than cut where the student cannot see.
        maxLength={MESSAGE_MAX_LENGTH_CAP}
        aria-invalid={isTooLong || undefined}
        placeholder="Ask about your code, an error or an idea…"
        aria-describedby={describedBy ? `${describedBy} ${id}-help` : `${id}-help`}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={handleKeyDown}
      />
      <div className="composer-bar">
        <p className="composer-help" id={`${id}-help`}>
          {status ?? 'Enter sends · Shift+Enter adds a line'}
          {draft.length >= Math.floor(maxLength * COUNTER_FROM_SHARE)
            ? ` · ${draft.length.toLocaleString('en')} of ${maxLength.toLocaleString('en')} characters`
            : null}
          {isTooLong ? (
            <strong className="composer-too-long"> · Too long to send: shorten it first.</strong>
          ) : null}
        </p>
        {isTurnActive ? (
          <Button
            variant="secondary"
            onClick={onStop}
            onFocus={() => (stopHadFocus.current = true)}
          >
            Stop answer
          </Button>
        ) : null}
        <Button type="submit" aria-disabled={isBlocked || isTooLong || undefined}>
          Send
        </Button>
      </div>
    </form>
  );
}
