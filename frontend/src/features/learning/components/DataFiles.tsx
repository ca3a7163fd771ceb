import { useId, useRef, useState, type FormEvent } from 'react';
import type { AdminModule } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { deleteDataFile, uploadDataFile } from '../admin-api';
import { formatBytes } from '../../../lib/format';
import { messageOf } from '../../../hooks/useAdminData';
import { readFileBase64 } from '../read-file';
import { SelectField } from '../../../components/SelectField';

interface DataFilesProps {
  module: AdminModule;
  onChanged(): void;
}

/** Files the module's notebooks read (CSV, images…): list, upload, delete. */
export function DataFiles({ module, onChanged }: DataFilesProps) {
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState('');
  const [notebookId, setNotebookId] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleOf = (id: string | null) =>
    id === null
      ? 'All notebooks'
      : (module.notebooks.find((notebook) => notebook.id === id)?.title ?? 'A deleted notebook');

  async function handleUpload(event: FormEvent) {
    event.preventDefault();
    if (isBusy) return;
    if (!file) {
      setError('Choose a file first.');
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      await uploadDataFile(module.id, {
        path: path.trim() || file.name,
        mime: file.type || 'application/octet-stream',
        notebookId: notebookId || null,
        contentBase64: await readFileBase64(file),
      });
      setFile(null);
      setPath('');
      if (fileRef.current) fileRef.current.value = '';
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsBusy(false);
    }
  }

  async function handleDelete(fileIdToDelete: string) {
    setError(null);
    try {
      await deleteDataFile(module.id, fileIdToDelete);
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <div className="stack-small">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {module.files.length === 0 ? (
        <p>No data files.</p>
      ) : (
        <ul className="admin-list" aria-label="Data files">
          {module.files.map((item) => (
            <li key={item.id} className="admin-list-item">
              <div>
                <span className="admin-list-title">{item.path}</span>
                <span className="cell-note">
                  {formatBytes(item.sizeBytes)} · {titleOf(item.notebookId)}
                </span>
              </div>
              <Button
                variant="danger"
                aria-label={`Delete ${item.path}`}
                onClick={() => void handleDelete(item.id)}
              >
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={(event) => void handleUpload(event)}>
        <h3>Add a data file</h3>
        <div className="field">
          <label className="field-label" htmlFor={fileId}>
            File
          </label>
          <input
            id={fileId}
            ref={fileRef}
            type="file"
            onChange={(event) => {
              const chosen = event.target.files?.[0] ?? null;
              setFile(chosen);
              if (chosen && !path) setPath(chosen.name);
            }}
          />
        </div>
        <FormField
          label="Path in the notebook’s folder"
          hint="For example data/scores.csv"
          value={path}
          onChange={(event) => setPath(event.target.value)}
        />
        <SelectField
          label="For"
          value={notebookId}
          options={[
            { value: '', label: 'All notebooks of the module' },
            ...module.notebooks.map((notebook) => ({ value: notebook.id, label: notebook.title })),
          ]}
          onChange={(event) => setNotebookId(event.target.value)}
        />
        <div>
          <Button type="submit" isBusy={isBusy} busyLabel="Uploading…">
            Upload file
          </Button>
        </div>
      </form>
    </div>
  );
}
