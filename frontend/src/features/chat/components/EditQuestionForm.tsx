import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from '../../../components/Button';

interface EditQuestionFormProps {
  initial: string;
  /** Resolves true once the edited question replaced the old one. */
  onSubmit(content: string): Promise<boolean>;
  onCancel(): void;
}

/** Rewrites the last question in place; sending replaces it and its answer. */
export function EditQuestionForm({ initial, onSubmit, onCancel }: EditQuestionFormProps) {
  const [value, setValue] = useState(initial);
  const [isBusy, setIsBusy] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  useEffect(() => {
    textareaRef.current?.focus();
  }, []);

  async function submit() {
    const content = value.trim();
    if (!content || isBusy) return;
    if (content === initial.trim()) return onCancel();
    setIsBusy(true);
    const isAccepted = await onSubmit(content);
    // Accepted: this bubble is replaced by the new question. Refused: the page says why.
    if (!isAccepted) setIsBusy(false);
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    void submit();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') onCancel();
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  }

  return (
    <form className="edit-question" onSubmit={handleSubmit}>
      <label className="visually-hidden" htmlFor={id}>
        Edit your question
      </label>
      <textarea
        id={id}
        ref={textareaRef}
        className="input composer-input"
        value={value}
        rows={3}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={handleKeyDown}
      />
      <div className="message-actions">
        <Button type="submit" isBusy={isBusy} busyLabel="Sending…">
          Send edited question
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
