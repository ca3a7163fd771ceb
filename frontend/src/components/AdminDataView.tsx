import type { ReactNode } from 'react';
import { Alert } from './Alert';
import { Button } from './Button';
import type { AdminData } from '../hooks/useAdminData';

interface AdminDataViewProps<T> {
  state: AdminData<T>;
  /** What is loading, for the status line: "the users". */
  what: string;
  onRetry(): void;
  children(data: T): ReactNode;
}

/** Loading, "not for you", failure with a retry, or the data. */
export function AdminDataView<T>({ state, what, onRetry, children }: AdminDataViewProps<T>) {
  switch (state.status) {
    case 'loading':
      return (
        <p className="loading" role="status">
          Loading {what}…
        </p>
      );
    case 'forbidden':
      return (
        <Alert tone="error">
          Your account is not an admin (any more), so Hintbook will not show {what}. If that is
          wrong, ask the operator to add your email address to <code>ADMIN_EMAIL</code> and sign in
          again.
        </Alert>
      );
    case 'failed':
      return (
        <div className="stack-small">
          <Alert tone="error">{state.message}</Alert>
          <div>
            <Button variant="secondary" onClick={onRetry}>
              Try again
            </Button>
          </div>
        </div>
      );
    case 'ready':
      return <>{children(state.data)}</>;
  }
}
