import { useState, type FormEvent } from 'react';
import type { AdminUserSummary } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { setUserAllowance } from '../api';
import { messageOf } from '../../../hooks/useAdminData';

interface AllowanceFormProps {
  user: AdminUserSummary;
  onSaved(user: AdminUserSummary): void;
}

const toText = (value: number | null) => (value === null ? '' : String(value));

function parse(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : 'invalid';
}

/** A per-person token allowance; an empty field means "the installation default". */
export function AllowanceForm({ user, onSaved }: AllowanceFormProps) {
  const [daily, setDaily] = useState(toText(user.allowance.dailyTokens));
  const [weekly, setWeekly] = useState(toText(user.allowance.weeklyTokens));
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const dailyValue = parse(daily);
  const weeklyValue = parse(weekly);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isSaving || dailyValue === 'invalid' || weeklyValue === 'invalid') return;
    setIsSaving(true);
    setMessage(null);
    try {
      const saved = await setUserAllowance(user.id, {
        dailyTokens: dailyValue,
        weeklyTokens: weeklyValue,
      });
      setMessage({ tone: 'success', text: 'Allowance saved. It applies from the next question.' });
      onSaved(saved);
    } catch (caught) {
      setMessage({ tone: 'error', text: messageOf(caught) });
    } finally {
      setIsSaving(false);
    }
  }

  const invalid = 'Enter a whole number of tokens, or leave it empty for the default.';
  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <FormField
        label="Tokens per day"
        inputMode="numeric"
        hint="Leave empty to use the installation default."
        value={daily}
        error={dailyValue === 'invalid' ? invalid : undefined}
        onChange={(event) => setDaily(event.target.value)}
      />
      <FormField
        label="Tokens per week"
        inputMode="numeric"
        hint="Leave empty to use the installation default."
        value={weekly}
        error={weeklyValue === 'invalid' ? invalid : undefined}
        onChange={(event) => setWeekly(event.target.value)}
      />
      <div>
        <Button type="submit" isBusy={isSaving} busyLabel="Saving…">
          Save allowance
        </Button>
      </div>
    </form>
  );
}
