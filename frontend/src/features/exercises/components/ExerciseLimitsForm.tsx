import { useState, type FormEvent } from 'react';
import type { AdminExercise } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { updateExercise } from '../admin-api';
import { messageOf } from '../../../hooks/useAdminData';
import { HELP_LEVEL_OPTIONS } from '../policy-words';
import { SelectField } from '../../../components/SelectField';

interface ExerciseLimitsFormProps {
  moduleId: string;
  exercise: AdminExercise;
  onSaved(exercise: AdminExercise): void;
}

/** How much help an exercise allows: failed checks before code-level help, and the highest level. */
export function ExerciseLimitsForm({ moduleId, exercise, onSaved }: ExerciseLimitsFormProps) {
  const [threshold, setThreshold] = useState(String(exercise.attemptsBeforeCodeHelp));
  const [maxLevel, setMaxLevel] = useState(String(exercise.maxHintLevel));
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isSaving) return;
    setIsSaving(true);
    setMessage(null);
    try {
      onSaved(
        await updateExercise(moduleId, exercise.id, {
          attemptsBeforeCodeHelp: Number(threshold),
          maxHintLevel: Number(maxLevel),
        }),
      );
      setMessage({ tone: 'success', text: 'Saved.' });
    } catch (caught) {
      setMessage({ tone: 'error', text: messageOf(caught) });
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <form className="form form-inline" onSubmit={(event) => void handleSubmit(event)}>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <FormField
        label={`Failed checks before code help (${exercise.gradeId})`}
        type="number"
        min={0}
        max={20}
        required
        value={threshold}
        onChange={(event) => setThreshold(event.target.value)}
      />
      <SelectField
        label={`Highest help (${exercise.gradeId})`}
        options={HELP_LEVEL_OPTIONS}
        value={maxLevel}
        onChange={(event) => setMaxLevel(event.target.value)}
      />
      <div>
        <Button type="submit" variant="secondary" isBusy={isSaving} busyLabel="Saving…">
          Save {exercise.gradeId}
        </Button>
      </div>
    </form>
  );
}
