import type { ModuleStudentProgressResponse, NotebookStatus } from '@hintbook/contracts';
import { toCsv } from '../../lib/csv';

const STATUS_TEXT: Record<NotebookStatus, string> = {
  not_started: 'not started',
  in_progress: 'in progress',
  completed: 'completed',
};

/**
 * A module's progress, one row per student and, per notebook, its status, the exercises passed
 * (where it has any) and the last change: what a teacher pastes into a gradebook. Dates are ISO
 * 8601 (UTC), which every spreadsheet reads.
 */
export function classProgressCsv(progress: ModuleStudentProgressResponse): string {
  const header = ['username', 'email', 'groups'];
  for (const notebook of progress.notebooks) {
    header.push(`${notebook.title}: status`);
    if (notebook.exercises > 0) {
      header.push(`${notebook.title}: exercises passed (of ${notebook.exercises})`);
    }
    header.push(`${notebook.title}: last change`);
  }
  const rows = progress.students.map((student) => {
    const row = [student.username, student.email, student.groups.join('; ')];
    const cells = new Map(student.notebooks.map((cell) => [cell.notebookId, cell]));
    progress.notebooks.forEach((notebook) => {
      const cell = cells.get(notebook.notebookId);
      row.push(cell ? STATUS_TEXT[cell.status] : '');
      if (notebook.exercises > 0) row.push(String(cell?.exercisesPassed ?? 0));
      row.push(cell?.updatedAt ?? '');
    });
    return row;
  });
  return toCsv([header, ...rows]);
}
