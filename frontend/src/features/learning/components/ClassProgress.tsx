import type { AdminNotebook, ModuleClassProgressResponse } from '@hintbook/contracts';
import { AdminDataView } from '../../../components/AdminDataView';
import { useAdminData } from '../../../hooks/useAdminData';
import { formatCount } from '../../../lib/format';
import { getModuleClassProgress } from '../admin-api';

/** Where the class is in the module, notebook by notebook: done, working on it, not started. */
export function ClassProgress({
  moduleId,
  notebooks,
}: {
  moduleId: string;
  /** The module's notebooks as the page shows them (titles, order); reloads when they change. */
  notebooks: AdminNotebook[];
}) {
  const { state, reload } = useAdminData(
    (signal) => getModuleClassProgress(moduleId, signal),
    `${moduleId}:${notebooks.map((notebook) => notebook.id).join(',')}`,
  );
  return (
    <AdminDataView state={state} what="the class’s progress" onRetry={reload}>
      {(progress) => <ProgressRows progress={progress} notebooks={notebooks} />}
    </AdminDataView>
  );
}

function ProgressRows({
  progress,
  notebooks,
}: {
  progress: ModuleClassProgressResponse;
  notebooks: AdminNotebook[];
}) {
  if (notebooks.length === 0) return <p>No notebooks yet.</p>;
  if (progress.students === 0)
    return <p>Nobody this module is for has an account yet (admins are not counted).</p>;
  const counts = new Map(progress.notebooks.map((row) => [row.notebookId, row]));
  const share = (count: number) => `${(count / progress.students) * 100}%`;
  return (
    <>
      <p>
        Out of {formatCount(progress.students)} {progress.students === 1 ? 'student' : 'students'}{' '}
        this module is for.
      </p>
      <ol className="class-progress" aria-label="Class progress per notebook">
        {notebooks.map((notebook) => {
          const { completed = 0, inProgress = 0 } = counts.get(notebook.id) ?? {};
          const notStarted = Math.max(0, progress.students - completed - inProgress);
          return (
            <li key={notebook.id} className="class-progress-row">
              <span className="class-progress-title">{notebook.title}</span>
              <span className="class-progress-bar" aria-hidden="true">
                <span className="class-progress-done" style={{ width: share(completed) }} />
                <span className="class-progress-working" style={{ width: share(inProgress) }} />
              </span>
              <span className="class-progress-counts">
                {formatCount(completed)} completed · {formatCount(inProgress)} in progress ·{' '}
                {formatCount(notStarted)} not started
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}
