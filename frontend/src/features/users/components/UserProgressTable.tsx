import type { AdminUserProgress } from '@hintbook/contracts';
import { formatDateTime } from '../../../lib/format';
import { TableScroll } from '../../../components/TableScroll';

const statusLabels = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
} as const;

/** The person's copy of each module notebook they opened, and how far they got. */
export function UserProgressTable({ progress }: { progress: AdminUserProgress[] }) {
  if (progress.length === 0) return <p>No module notebooks opened yet.</p>;
  return (
    <TableScroll label="Progress per notebook">
      <table className="admin-table">
        <caption className="visually-hidden">Progress per notebook</caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Notebook</th>
            <th scope="col">Status</th>
            <th scope="col">Exercises passed</th>
            <th scope="col">Last change</th>
          </tr>
        </thead>
        <tbody>
          {progress.map((item) => (
            <tr key={item.notebookId}>
              <td>{item.moduleTitle}</td>
              <th scope="row">{item.notebookTitle}</th>
              <td>
                {statusLabels[item.status]}
                {item.originalUpdated ? ' (the original changed since)' : ''}
              </td>
              <td>
                {item.exercises.total > 0
                  ? `${item.exercises.passed} of ${item.exercises.total}`
                  : 'None in this notebook'}
              </td>
              <td>{formatDateTime(item.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
