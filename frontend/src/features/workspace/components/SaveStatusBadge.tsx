import { Button } from '../../../components/Button';
import type { AutosaveState } from '../hooks/useAutosave';

interface SaveStatusBadgeProps {
  state: AutosaveState | null;
  onRetry(): void;
  onReloadServerVersion(): void;
  onKeepMine(): void;
}

function formatTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Where the student's work is: on the server, on its way, or waiting for them to decide. */
export function SaveStatusBadge({
  state,
  onRetry,
  onReloadServerVersion,
  onKeepMine,
}: SaveStatusBadgeProps) {
  if (state === null) return null;
  switch (state.status) {
    case 'saved':
      return (
        <p className="save-status save-status-saved" role="status">
          <span className="save-status-label">Saved</span>
          {state.savedAt ? (
            <span className="save-status-detail"> at {formatTime(state.savedAt)}</span>
          ) : null}
        </p>
      );
    case 'pending':
    case 'saving':
      return (
        <p className="save-status save-status-saving" role="status">
          <span className="save-status-label">Saving…</span>
        </p>
      );
    case 'offline':
      return (
        <p className="save-status save-status-offline" role="status">
          <span className="save-status-label">Offline, retrying</span>
          <span className="save-status-detail">
            {' '}
            in {Math.round(state.retryInMs / 1000)} s. Your changes are kept here.
          </span>{' '}
          <Button variant="quiet" onClick={onRetry}>
            Retry now
          </Button>
        </p>
      );
    case 'error':
      return (
        <div className="save-status save-status-error" role="alert">
          <span className="save-status-label">Not saved:</span> {state.message}{' '}
          <Button variant="quiet" onClick={onRetry}>
            Try again
          </Button>
        </div>
      );
    case 'conflict':
      return (
        <div className="save-status save-status-conflict" role="alert">
          <p>
            <span className="save-status-label">Conflict:</span> this notebook was saved somewhere
            else (another tab or device) since you opened it.
          </p>
          <div className="save-status-actions">
            <Button variant="secondary" onClick={onReloadServerVersion}>
              Load the saved version
            </Button>
            <Button variant="danger" onClick={onKeepMine}>
              Keep mine
            </Button>
          </div>
        </div>
      );
  }
}
