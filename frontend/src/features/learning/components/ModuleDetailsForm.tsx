import { useState, type FormEvent } from 'react';
import type { AdminModule } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { updateModule } from '../admin-api';
import { messageOf } from '../../../hooks/useAdminData';
import { TextAreaField } from '../../../components/TextAreaField';

interface ModuleDetailsFormProps {
  module: AdminModule;
  onSaved(module: AdminModule): void;
}

/** The module's title and description as students see them. */
export function ModuleDetailsForm({ module, onSaved }: ModuleDetailsFormProps) {
  const [title, setTitle] = useState(module.title);
  const [description, setDescription] = useState(module.description);
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isSaving) return;
    setIsSaving(true);
    setMessage(null);
    try {
      onSaved(await updateModule(module.id, { title, description }));
      setMessage({ tone: 'success', text: 'Saved.' });
    } catch (caught) {
      setMessage({ tone: 'error', text: messageOf(caught) });
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)}>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <FormField
        label="Module title"
        required
        maxLength={200}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <TextAreaField label="Module description" value={description} onChange={setDescription} />
      <div>
        <Button type="submit" isBusy={isSaving} busyLabel="Saving…">
          Save details
        </Button>
      </div>
    </form>
  );
}
