import { useState } from 'react';
import { Link } from 'react-router';
import type { AdminModule } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { Page } from '../../../components/Page';
import { listAdminModules, reorderModules, setModulePublished } from '../admin-api';
import { AdminDataView } from '../../../components/AdminDataView';
import { CreateModuleForm } from '../components/CreateModuleForm';
import { ImportModuleForm } from '../components/ImportModuleForm';
import { formatCount } from '../../../lib/format';
import { messageOf, useAdminData } from '../../../hooks/useAdminData';
import { moveItem } from '../../../lib/move-item';

/** Every module, published or not, in course order: create, reorder, publish. */
export function AdminContentPage() {
  const { state, reload, setData } = useAdminData((signal) => listAdminModules(signal), 'modules');
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function run(moduleId: string, action: () => Promise<void>) {
    if (busyId) return;
    setBusyId(moduleId);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusyId(null);
    }
  }

  function handleMove(modules: AdminModule[], index: number, offset: -1 | 1) {
    const moved = moveItem(modules, index, offset);
    void run(modules[index]!.id, async () => {
      await reorderModules(moved.map((module) => module.id));
      setData(moved);
    });
  }

  function handlePublish(modules: AdminModule[], module: AdminModule) {
    void run(module.id, async () => {
      const updated = await setModulePublished(module.id, !module.published);
      setData(modules.map((item) => (item.id === updated.id ? updated : item)));
    });
  }

  return (
    <Page title="Content">
      <div className="stack">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <AdminDataView state={state} what="the modules" onRetry={reload}>
          {(modules) =>
            modules.length === 0 ? (
              <p>No modules yet. Create the first one below.</p>
            ) : (
              <ol className="admin-list" aria-label="Modules in course order">
                {modules.map((module, index) => (
                  <li key={module.id} className="admin-list-item">
                    <div>
                      <Link to={`/admin/content/${module.id}`} className="admin-list-title">
                        {module.title}
                      </Link>
                      <span className="cell-note">
                        {module.published ? 'Published' : 'Draft'} ·{' '}
                        {formatCount(module.notebooks.length)}{' '}
                        {module.notebooks.length === 1 ? 'notebook' : 'notebooks'} · {module.slug}
                      </span>
                    </div>
                    <div className="inline-controls">
                      <Button
                        variant="secondary"
                        disabled={index === 0}
                        aria-label={`Move ${module.title} up`}
                        onClick={() => handleMove(modules, index, -1)}
                      >
                        Up
                      </Button>
                      <Button
                        variant="secondary"
                        disabled={index === modules.length - 1}
                        aria-label={`Move ${module.title} down`}
                        onClick={() => handleMove(modules, index, 1)}
                      >
                        Down
                      </Button>
                      <Button
                        variant={module.published ? 'secondary' : 'primary'}
                        isBusy={busyId === module.id}
                        busyLabel="Saving…"
                        aria-label={`${module.published ? 'Unpublish' : 'Publish'} ${module.title}`}
                        onClick={() => handlePublish(modules, module)}
                      >
                        {module.published ? 'Unpublish' : 'Publish'}
                      </Button>
                    </div>
                  </li>
                ))}
              </ol>
            )
          }
        </AdminDataView>
        <section className="card" aria-labelledby="create-module">
          <h2 id="create-module">New module</h2>
          <CreateModuleForm onCreated={reload} />
        </section>
        <section className="card" aria-labelledby="import-module">
          <h2 id="import-module">Import a module from a zip</h2>
          <ImportModuleForm onImported={reload} />
        </section>
      </div>
    </Page>
  );
}
