import { useState, type FormEvent } from 'react';
import type { AiPolicyNow, ModuleAiPolicy } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { setModuleAiPolicy } from '../admin-api';
import { messageOf } from '../../../hooks/useAdminData';
import { describePolicy, HELP_LEVEL_OPTIONS } from '../policy-words';
import { PolicyWindowFields, type PolicyWindow } from './PolicyWindowFields';
import { SelectField } from '../../../components/SelectField';

interface AiPolicyEditorProps {
  moduleId: string;
  policy: ModuleAiPolicy;
  policyNow: AiPolicyNow;
}

const MODE_OPTIONS = [
  { value: 'on', label: 'On' },
  { value: 'hints_only', label: 'Hints only' },
  { value: 'off', label: 'Off' },
];

/** The browser's own time zone: the likeliest one for a new window. */
function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function newWindow(): PolicyWindow {
  const today = new Date().toISOString().slice(0, 10);
  return {
    label: 'Exam',
    start: `${today}T09:00`,
    end: `${today}T11:00`,
    timeZone: localTimeZone(),
    mode: 'off',
    maxHintLevel: 2,
  };
}

/** How the tutor may help in this module: on, hints only up to a level, or off, plus time windows. */
export function AiPolicyEditor({ moduleId, policy, policyNow }: AiPolicyEditorProps) {
  const [draft, setDraft] = useState<ModuleAiPolicy>(policy);
  const [now, setNow] = useState(policyNow);
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  function updateWindow(index: number, window: PolicyWindow | null) {
    setDraft((current) => ({
      ...current,
      windows:
        window === null
          ? current.windows.filter((_, i) => i !== index)
          : current.windows.map((item, i) => (i === index ? window : item)),
    }));
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isSaving) return;
    setIsSaving(true);
    setMessage(null);
    try {
      const saved = await setModuleAiPolicy(moduleId, draft);
      setDraft(saved.policy);
      setNow(saved.policyNow);
      setMessage({
        tone: 'success',
        text: 'Saved. Students see the new policy from their next question.',
      });
    } catch (caught) {
      setMessage({ tone: 'error', text: messageOf(caught) });
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)}>
      <p role="status">
        <strong>Right now:</strong> {now.text}
      </p>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <SelectField
        label="Tutor"
        options={MODE_OPTIONS}
        value={draft.mode}
        onChange={(event) =>
          setDraft({ ...draft, mode: event.target.value as ModuleAiPolicy['mode'] })
        }
      />
      {draft.mode === 'hints_only' ? (
        <SelectField
          label="Highest help"
          options={HELP_LEVEL_OPTIONS}
          value={String(draft.maxHintLevel)}
          onChange={(event) => setDraft({ ...draft, maxHintLevel: Number(event.target.value) })}
        />
      ) : null}
      <h3>Time windows</h3>
      {draft.windows.length === 0 ? (
        <p>No windows. Add one for an exam or a test, with its time zone.</p>
      ) : (
        draft.windows.map((window, index) => (
          <PolicyWindowFields
            key={index}
            index={index}
            window={window}
            onChange={(next) => updateWindow(index, next)}
            onRemove={() => updateWindow(index, null)}
          />
        ))
      )}
      <div>
        <Button
          variant="secondary"
          onClick={() => setDraft({ ...draft, windows: [...draft.windows, newWindow()] })}
        >
          Add a time window
        </Button>
      </div>
      <div aria-label="The policy in plain words" role="group">
        <p className="field-label">In plain words</p>
        <ul>
          {describePolicy(draft).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
      <div>
        <Button type="submit" isBusy={isSaving} busyLabel="Saving…">
          Save AI policy
        </Button>
      </div>
    </form>
  );
}
