import type { NotebookStatus } from '@hintbook/contracts';

const LABELS: Record<NotebookStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
};

/** A notebook's status in words (never colour alone). */
export function NotebookStatusTag({ status }: { status: NotebookStatus }) {
  return <span className={`status-tag status-${status.replace('_', '-')}`}>{LABELS[status]}</span>;
}

interface NotebookProgressProps {
  completed: number;
  total: number;
  label: string;
}

/** How much of a module is done, as a bar and as words. */
export function NotebookProgress({ completed, total, label }: NotebookProgressProps) {
  return (
    <div className="module-progress">
      <progress max={Math.max(total, 1)} value={completed} aria-label={label} />
      <span>
        {completed} of {total} completed
      </span>
    </div>
  );
}
