import { useState } from 'react';
import type { AdminModule, AdminNotebook } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { deleteModuleNotebook, reorderNotebooks, replaceModuleNotebook } from '../admin-api';
import { formatDateTime } from '../../../lib/format';
import { messageOf } from '../../../hooks/useAdminData';
import { moveItem } from '../../../lib/move-item';
import { readFileText } from '../read-file';
import { NotebookPreview } from './NotebookPreview';

interface ModuleNotebooksProps {
  module: AdminModule;
  onChanged(): void;
}

/** The module's notebooks in order, each with move, replace, preview and delete. */
export function ModuleNotebooks({ module, onChanged }: ModuleNotebooksProps) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const [confirmDeleteId, setConfirmDeleteId] = useState<string | null>(null);
  const notebooks = module.notebooks;

  async function run(action: () => Promise<void>, done?: string) {
    setError(null);
    setNotice(null);
    try {
      await action();
      if (done) setNotice(done);
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  function handleMove(index: number, offset: -1 | 1) {
    const ids = moveItem(notebooks, index, offset).map((notebook) => notebook.id);
    void run(() => reorderNotebooks(module.id, ids));
  }

  function handleReplace(notebook: AdminNotebook, file: File | undefined) {
    if (!file) return;
    void run(async () => {
      await replaceModuleNotebook(module.id, notebook.id, await readFileText(file));
    }, `Replaced “${notebook.title}”. Students who have a copy are told the original changed.`);
  }

  if (notebooks.length === 0) return <p>No notebooks yet.</p>;
  return (
    <div className="stack-small">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <ol className="admin-list" aria-label="Notebooks in order">
        {notebooks.map((notebook, index) => (
          <li key={notebook.id} className="admin-list-item admin-list-item-wrap">
            <div>
              <span className="admin-list-title">{notebook.title}</span>
              <span className="cell-note">
                Version {notebook.version} · {formatDateTime(notebook.updatedAt)}
              </span>
            </div>
            <div className="inline-controls">
              <Button
                variant="secondary"
                disabled={index === 0}
                aria-label={`Move ${notebook.title} up`}
                onClick={() => handleMove(index, -1)}
              >
                Up
              </Button>
              <Button
                variant="secondary"
                disabled={index === notebooks.length - 1}
                aria-label={`Move ${notebook.title} down`}
                onClick={() => handleMove(index, 1)}
              >
                Down
              </Button>
              <Button
                variant="secondary"
                aria-expanded={previewId === notebook.id}
                onClick={() => setPreviewId(previewId === notebook.id ? null : notebook.id)}
              >
                {previewId === notebook.id ? 'Hide preview' : 'Preview'}
              </Button>
              <label className="button button-secondary file-button">
                Replace…
                <input
                  type="file"
                  className="visually-hidden"
                  accept=".ipynb,application/json"
                  aria-label={`Replace ${notebook.title} with a file`}
                  onChange={(event) => handleReplace(notebook, event.target.files?.[0])}
                />
              </label>
              {confirmDeleteId === notebook.id ? (
                <>
                  <Button
                    variant="danger"
                    onClick={() => void run(() => deleteModuleNotebook(module.id, notebook.id))}
                  >
                    Yes, delete {notebook.title}
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirmDeleteId(null)}>
                    Cancel
                  </Button>
                </>
              ) : (
                <Button
                  variant="danger"
                  aria-label={`Delete ${notebook.title}`}
                  onClick={() => setConfirmDeleteId(notebook.id)}
                >
                  Delete
                </Button>
              )}
            </div>
            {previewId === notebook.id ? (
              <NotebookPreview moduleId={module.id} notebookId={notebook.id} />
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
