import { useState, type FormEvent } from 'react';
import type { ImportModuleResponse } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { importModuleZip } from '../admin-api';
import { messageOf } from '../../../hooks/useAdminData';

interface ImportModuleFormProps {
  onImported: () => void;
}

/**
 * Uploads a zip of notebooks (and data files) as one module. The server checks every notebook
 * before writing anything, and importing the same zip again updates instead of duplicating.
 */
export function ImportModuleForm({ onImported }: ImportModuleFormProps) {
  const [file, setFile] = useState<File | null>(null);
  const [slug, setSlug] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [result, setResult] = useState<ImportModuleResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setIsBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await importModuleZip(file, slug.trim() ? { slug: slug.trim() } : {}));
      onImported();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)}>
      <FormField
        label="Zip of notebooks"
        hint="Notebooks (.ipynb) and data files; an optional module.json names the module."
        type="file"
        accept=".zip,application/zip"
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
      />
      <FormField
        label="Module to update (slug, optional)"
        hint="Leave empty to take it from module.json or the zip's name. The same slug updates that module."
        value={slug}
        onChange={(event) => setSlug(event.target.value)}
      />
      <Button type="submit" disabled={!file || isBusy}>
        {isBusy ? 'Importing…' : 'Import'}
      </Button>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {result ? (
        <Alert tone="info">
          {result.isNewModule ? 'Created' : 'Updated'} “{result.module.title}”:{' '}
          {result.notebooksCreated} new, {result.notebooksUpdated} updated,{' '}
          {result.notebooksUnchanged} unchanged notebooks.
        </Alert>
      ) : null}
    </form>
  );
}
