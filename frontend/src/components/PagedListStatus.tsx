import { Alert } from './Alert';
import { Button } from './Button';
import type { PagedList } from '../hooks/usePagedList';

/** Under a paged list: loading, failure, "nothing here", or the button for older entries. */
export function PagedListStatus<T>({ list, empty }: { list: PagedList<T>; empty: string }) {
  if (list.status === 'forbidden') {
    return (
      <Alert tone="error">
        Your account is not an admin (any more). If that is wrong, ask the operator to add your
        email address to <code>ADMIN_EMAIL</code> and sign in again.
      </Alert>
    );
  }
  if (list.status === 'failed') {
    return (
      <div className="stack-small">
        <Alert tone="error">{list.message}</Alert>
        <div>
          <Button variant="secondary" onClick={list.reload}>
            Try again
          </Button>
        </div>
      </div>
    );
  }
  if (list.status === 'loading') {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (list.items.length === 0) return <p>{empty}</p>;
  if (!list.hasMore) return null;
  return (
    <div>
      <Button variant="secondary" onClick={list.loadMore}>
        Show older entries
      </Button>
    </div>
  );
}
