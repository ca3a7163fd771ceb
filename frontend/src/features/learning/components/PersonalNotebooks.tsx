import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ListPersonalNotebooksResponse, PersonalNotebookSummary } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { saveBlob } from '../../../lib/download';
import {
  createBlankNotebook,
  deletePersonalNotebook,
  downloadPersonalNotebook,
  listPersonalNotebooks,
  renamePersonalNotebook,
  uploadPersonalNotebook,
} from '../api';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.ceil(bytes / 1024)} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The student's own notebooks: upload an .ipynb, open, rename, download, delete. */
export function PersonalNotebooks() {
  const [list, setList] = useState<ListPersonalNotebooksResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isUploading, setIsUploading] = useState(false);
  const [isStarting, setIsStarting] = useState(false);
  const navigate = useNavigate();
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const reload = useCallback((signal?: AbortSignal) => {
    listPersonalNotebooks(signal).then(
      (response) => {
        setList(response);
        setLoadError(null);
      },
      (reason: unknown) => {
        if (!signal?.aborted) setLoadError(messageOf(reason));
      },
    );
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  async function handleUpload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file || isUploading) {
      setError(file ? null : 'Choose an .ipynb file first.');
      return;
    }
    setIsUploading(true);
    setError(null);
    setNotice(null);
    try {
      const created = await uploadPersonalNotebook(file.name, await file.text());
      setNotice(`Uploaded “${created.title}”.`);
      if (fileRef.current) fileRef.current.value = '';
      reload();
    } catch (reason) {
      setError(messageOf(reason));
    } finally {
      setIsUploading(false);
    }
  }

  /** An empty notebook, opened at once: for trying something out without a file to upload. */
  async function handleStartBlank(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isStarting) return;
    const title = String(new FormData(event.currentTarget).get('title') ?? '').trim();
    setIsStarting(true);
    setError(null);
    setNotice(null);
    try {
      const created = await createBlankNotebook(title || 'My notebook');
      void navigate(`/notebooks/${created.id}`);
    } catch (reason) {
      setError(messageOf(reason));
      setIsStarting(false);
    }
  }

  async function run(action: () => Promise<void>) {
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (reason) {
      setError(messageOf(reason));
    }
  }

  function handleDelete(notebook: PersonalNotebookSummary) {
    if (!window.confirm(`Delete “${notebook.title}”? This cannot be undone.`)) return;
    void run(async () => {
      await deletePersonalNotebook(notebook.id);
      setNotice(`Deleted “${notebook.title}”.`);
      reload();
    });
  }

  function handleDownload(notebook: PersonalNotebookSummary) {
    void run(async () => {
      const { blob, filename } = await downloadPersonalNotebook(notebook.id);
      saveBlob(blob, filename ?? `${notebook.title}.ipynb`);
    });
  }

  function handleRename(event: FormEvent<HTMLFormElement>, notebook: PersonalNotebookSummary) {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get('title') ?? '').trim();
    if (!title) return;
    void run(async () => {
      await renamePersonalNotebook(notebook.id, title);
      setRenamingId(null);
      reload();
    });
  }

  return (
    <section className="card personal-notebooks" aria-labelledby="your-notebooks">
      <h2 id="your-notebooks" className="module-title">
        Your notebooks
      </h2>
      <p className="module-description">
        Your own notebooks, with the tutor beside them. Start an empty one to try something out, or
        upload a Jupyter notebook (.ipynb) to work on it here.
      </p>
      <form className="upload-form" onSubmit={(event) => void handleStartBlank(event)}>
        <label htmlFor={`${inputId}-title`}>New notebook’s title</label>
        <input
          id={`${inputId}-title`}
          name="title"
          className="input"
          defaultValue="My notebook"
          maxLength={120}
        />
        <Button type="submit" variant="secondary" isBusy={isStarting} busyLabel="Starting…">
          Start an empty notebook
        </Button>
      </form>
      <form className="upload-form" onSubmit={(event) => void handleUpload(event)}>
        <label htmlFor={inputId}>Notebook file (.ipynb)</label>
        <input
          id={inputId}
          ref={fileRef}
          type="file"
          accept=".ipynb,application/x-ipynb+json,application/json"
        />
        <Button type="submit" variant="secondary" isBusy={isUploading} busyLabel="Uploading…">
          Upload
        </Button>
      </form>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {loadError ? (
        <Alert tone="error">{loadError}</Alert>
      ) : list === null ? (
        <p className="loading" role="status">
          Loading your notebooks…
        </p>
      ) : list.notebooks.length === 0 ? (
        <p className="muted">No notebooks yet.</p>
      ) : (
        <ul className="personal-list">
          {list.notebooks.map((notebook) => (
            <li key={notebook.id} className="personal-item">
              {renamingId === notebook.id ? (
                <form className="rename-form" onSubmit={(event) => handleRename(event, notebook)}>
                  <label>
                    New title{' '}
                    <input name="title" defaultValue={notebook.title} maxLength={120} required />
                  </label>
                  <Button type="submit" variant="secondary">
                    Save
                  </Button>
                  <Button variant="quiet" onClick={() => setRenamingId(null)}>
                    Cancel
                  </Button>
                </form>
              ) : (
                <>
                  <div>
                    <Link to={`/notebooks/${notebook.id}`}>{notebook.title}</Link>{' '}
                    <span className="muted">{formatSize(notebook.sizeBytes)}</span>
                  </div>
                  <div className="personal-actions">
                    <Button variant="quiet" onClick={() => setRenamingId(notebook.id)}>
                      Rename<span className="visually-hidden"> {notebook.title}</span>
                    </Button>
                    <Button variant="quiet" onClick={() => handleDownload(notebook)}>
                      Download<span className="visually-hidden"> {notebook.title}</span>
                    </Button>
                    <Button variant="quiet" onClick={() => handleDelete(notebook)}>
                      Delete<span className="visually-hidden"> {notebook.title}</span>
                    </Button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {list ? (
        <p className="muted">
          {list.notebooks.length} of {list.limits.maxNotebooks} notebooks, up to{' '}
          {formatSize(list.limits.maxBytes)} each.
        </p>
      ) : null}
    </section>
  );
}
