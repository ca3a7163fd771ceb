import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ClassGroup } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { listClassGroups } from '../api';
import { messageOf } from '../../../hooks/useAdminData';

interface GroupsChecklistProps {
  /** Changes when another module or person is shown: everything is read again. */
  subjectKey: string;
  /** The ids ticked now. */
  load(signal: AbortSignal): Promise<string[]>;
  /** Stores the ticked ids; resolves with what was stored (unknown groups left out). */
  save(groupIds: string[]): Promise<string[]>;
  legend: string;
  hint: string;
  saveLabel: string;
  savedText(groupIds: string[]): string;
  /** Shown instead when the installation has no groups yet. */
  noGroups: ReactNode;
}

/** A tick box per class group and a save button: who a module is for, or whom a person is with. */
export function GroupsChecklist({
  subjectKey,
  load,
  save,
  legend,
  hint,
  saveLabel,
  savedText,
  noGroups,
}: GroupsChecklistProps) {
  const [groups, setGroups] = useState<ClassGroup[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [isBusy, setIsBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  // Read once per subject: a new `load` for the same module or person reads nothing new.
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([listClassGroups(controller.signal), loadRef.current(controller.signal)])
      .then(([all, current]) => {
        setGroups(all);
        setChosen(new Set(current));
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setMessage({ tone: 'error', text: messageOf(error) });
      });
    return () => controller.abort();
  }, [subjectKey]);

  async function handleSave() {
    setIsBusy(true);
    setMessage(null);
    try {
      const saved = await save([...chosen]);
      setChosen(new Set(saved));
      setMessage({ tone: 'success', text: savedText(saved) });
    } catch (error) {
      setMessage({ tone: 'error', text: messageOf(error) });
    } finally {
      setIsBusy(false);
    }
  }

  function toggle(id: string, isOn: boolean) {
    const next = new Set(chosen);
    if (isOn) next.add(id);
    else next.delete(id);
    setChosen(next);
  }

  if (groups === null) {
    return message ? <Alert tone="error">{message.text}</Alert> : <p role="status">Loading…</p>;
  }
  if (groups.length === 0) return <>{noGroups}</>;
  return (
    <div className="stack-small">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <fieldset className="field">
        <legend className="field-label">{legend}</legend>
        <p className="field-hint">{hint}</p>
        {groups.map((group) => (
          <label key={group.id} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.has(group.id)}
              onChange={(event) => toggle(group.id, event.target.checked)}
            />{' '}
            {group.name}
          </label>
        ))}
      </fieldset>
      <div>
        <Button
          variant="secondary"
          isBusy={isBusy}
          busyLabel="Saving…"
          onClick={() => void handleSave()}
        >
          {saveLabel}
        </Button>
      </div>
    </div>
  );
}
