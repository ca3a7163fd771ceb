import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ClassGroup } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { getModuleGroups, listClassGroups, setModuleGroups } from '../api';
import { messageOf } from '../../../hooks/useAdminData';

/** Who a module is for: everyone, or the members of the groups ticked here. */
export function ModuleGroupsForm({ moduleId }: { moduleId: string }) {
  const [groups, setGroups] = useState<ClassGroup[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [isBusy, setIsBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([listClassGroups(controller.signal), getModuleGroups(moduleId, controller.signal)])
      .then(([all, current]) => {
        setGroups(all);
        setChosen(new Set(current.groupIds));
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setMessage({ tone: 'error', text: messageOf(error) });
      });
    return () => controller.abort();
  }, [moduleId]);

  async function handleSave() {
    setIsBusy(true);
    setMessage(null);
    try {
      const saved = await setModuleGroups(moduleId, [...chosen]);
      setChosen(new Set(saved.groupIds));
      setMessage({
        tone: 'success',
        text:
          saved.groupIds.length === 0
            ? 'Saved: every student sees this module (once published).'
            : 'Saved: only members of the ticked groups see this module.',
      });
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
  if (groups.length === 0) {
    return (
      <p>
        For every student. To show it to some classes only, first import their class lists under{' '}
        <Link to="/admin/classes">Classes</Link>.
      </p>
    );
  }
  return (
    <div className="stack-small">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <fieldset className="field">
        <legend className="field-label">Show this module to</legend>
        <p className="field-hint">Tick none for every student.</p>
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
          Save who sees it
        </Button>
      </div>
    </div>
  );
}
