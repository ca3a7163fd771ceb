import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AdminModule } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { Page } from '../../../components/Page';
import { getAdminModule, setModulePublished } from '../admin-api';
import { ClassProgress } from '../components/ClassProgress';
import { ProgressDownload } from '../components/ProgressDownload';
import { AdminDataView } from '../../../components/AdminDataView';
import { DataFiles } from '../components/DataFiles';
import { ModuleDetailsForm } from '../components/ModuleDetailsForm';
import { ModuleExercisesSection } from '../../exercises/components/ModuleExercisesSection';
import { ModuleNotebooks } from '../components/ModuleNotebooks';
import { UploadNotebookForm } from '../components/UploadNotebookForm';
import { messageOf, useAdminData } from '../../../hooks/useAdminData';
import { ModuleGroupsForm } from '../../roster/components/ModuleGroupsForm';

/**
 * One module: its details, notebooks (upload, replace, order, preview), exercises with the class's
 * checks, the AI policy and data files.
 */
export function AdminModulePage() {
  const { moduleId = '' } = useParams();
  const { state, reload, setData } = useAdminData(
    (signal) => getAdminModule(moduleId, signal),
    moduleId,
  );
  const [error, setError] = useState<string | null>(null);
  const [isPublishing, setIsPublishing] = useState(false);
  const title = state.status === 'ready' ? state.data.title : 'Module';

  async function handlePublish(module: AdminModule) {
    if (isPublishing) return;
    setIsPublishing(true);
    setError(null);
    try {
      setData(await setModulePublished(module.id, !module.published));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setIsPublishing(false);
    }
  }

  return (
    <Page title={title}>
      <p>
        <Link to="/admin/content">Back to all modules</Link>
      </p>
      <AdminDataView state={state} what="the module" onRetry={reload}>
        {(module) => (
          <div className="stack">
            {error ? <Alert tone="error">{error}</Alert> : null}
            <div className="publish-bar">
              <p role="status">{publishState(module)}</p>
              <Button
                variant={module.published ? 'secondary' : 'primary'}
                isBusy={isPublishing}
                busyLabel="Saving…"
                onClick={() => void handlePublish(module)}
              >
                {module.published ? 'Unpublish module' : 'Publish module'}
              </Button>
            </div>
            <section className="card" aria-labelledby="module-notebooks">
              <h2 id="module-notebooks">Notebooks</h2>
              <ModuleNotebooks module={module} onChanged={reload} />
              <h3>Add a notebook</h3>
              <UploadNotebookForm moduleId={module.id} onUploaded={reload} />
            </section>
            <section className="card" aria-labelledby="module-class-progress">
              <h2 id="module-class-progress">Class progress</h2>
              <ClassProgress moduleId={module.id} notebooks={module.notebooks} />
              {module.notebooks.length > 0 ? (
                <ProgressDownload moduleId={module.id} slug={module.slug} />
              ) : null}
            </section>
            <ModuleExercisesSection moduleId={module.id} />
            <section className="card" aria-labelledby="module-files">
              <h2 id="module-files">Data files</h2>
              <DataFiles module={module} onChanged={reload} />
            </section>
            <section className="card" aria-labelledby="module-groups">
              <h2 id="module-groups">Who sees it</h2>
              <ModuleGroupsForm moduleId={module.id} />
            </section>
            <section className="card" aria-labelledby="module-details">
              <h2 id="module-details">Details</h2>
              <ModuleDetailsForm module={module} onSaved={setData} />
            </section>
          </div>
        )}
      </AdminDataView>
    </Page>
  );
}

/** Where the module stands for students, including the case of a module with nothing in it. */
function publishState(module: AdminModule): string {
  const empty = module.notebooks.length === 0;
  if (module.published)
    return empty
      ? 'Published, but it has no notebooks yet: students see an empty module.'
      : 'Published: students see this module.';
  return empty
    ? 'Draft: students do not see this module yet. Add a notebook before you publish it.'
    : 'Draft: students do not see this module yet.';
}
