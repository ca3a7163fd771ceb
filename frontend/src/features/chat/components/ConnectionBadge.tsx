import type { ConnectionState } from '../../../lib/socket';

const labels: Record<ConnectionState['status'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting… your draft is safe',
  offline: 'Offline: your draft is kept and sends when you are back',
  refused: 'Not connected',
};

interface ConnectionBadgeProps {
  state: ConnectionState;
  onRetry(): void;
}

/** The tutor connection in a word; a status region, so changes are announced politely. */
export function ConnectionBadge({ state, onRetry }: ConnectionBadgeProps) {
  return (
    <div className={`connection connection-${state.status}`}>
      <p role="status" className="connection-text">
        <span className="connection-dot" aria-hidden="true" />
        {labels[state.status]}
        {state.message ? `: ${state.message}` : null}
      </p>
      {state.status === 'refused' ? (
        <button type="button" className="button button-quiet" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
