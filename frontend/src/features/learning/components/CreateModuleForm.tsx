import { useState, type FormEvent } from 'react';
import { slugify } from '@hintbook/contracts/slugify';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { createModule } from '../admin-api';
import { messageOf } from '../../../hooks/useAdminData';
import { TextAreaField } from '../../../components/TextAreaField';

/** Title, address (slug, suggested from the title) and description of a new, unpublished module. */
export function CreateModuleForm({ onCreated }: { onCreated(): void }) {
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [isSlugEdited, setIsSlugEdited] = useState(false);
  const [description, setDescription] = useState('');
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (isSaving) return;
    setIsSaving(true);
    setError(null);
    try {
      await createModule({ title, slug: slug || slugify(title), description });
      setTitle('');
      setSlug('');
      setIsSlugEdited(false);
      setDescription('');
      onCreated();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <FormField
        label="Title"
        required
        maxLength={200}
        value={title}
        onChange={(event) => {
          setTitle(event.target.value);
          if (!isSlugEdited) setSlug(slugify(event.target.value));
        }}
      />
      <FormField
        label="Short name (slug)"
        hint="Lower-case letters, digits and dashes; used in addresses and imports."
        required
        pattern="[a-z0-9][a-z0-9\-]{0,79}"
        value={slug}
        onChange={(event) => {
          setIsSlugEdited(true);
          setSlug(event.target.value);
        }}
      />
      <TextAreaField label="Description" value={description} onChange={setDescription} />
      <div>
        <Button type="submit" isBusy={isSaving} busyLabel="Creating…">
          Create module
        </Button>
      </div>
    </form>
  );
}
