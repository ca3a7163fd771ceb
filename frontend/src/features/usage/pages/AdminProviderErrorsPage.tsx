import { useState } from 'react';
import type { ProviderErrorEntry } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { Page } from '../../../components/Page';
import { listProviderErrors, resolveProviderError } from '../api';
import { PagedListStatus } from '../../../components/PagedListStatus';
import { SelectField } from '../../../components/SelectField';
import { formatDateTime } from '../../../lib/format';
import { messageOf } from '../../../hooks/useAdminData';
import { usePagedList } from '../../../hooks/usePagedList';
import { providerLabel } from '../../settings/provider-labels';

type Status = 'unresolved' | 'resolved' | 'all';

/** Failed AI calls, unresolved first: what went wrong, whether a student saw it, mark resolved. */
export function AdminProviderErrorsPage() {
  const [status, setStatus] = useState<Status>('unresolved');
  const [error, setError] = useState<string | null>(null);
  const list = usePagedList<ProviderErrorEntry>(async (before, signal) => {
    const page = await listProviderErrors({ status, before, limit: 50 }, signal);
    return { items: page.errors, nextBefore: page.nextBefore };
  }, status);

  async function handleResolve(entry: ProviderErrorEntry) {
    setError(null);
    try {
      const resolved = await resolveProviderError(entry.id);
      if (status === 'unresolved') list.reload();
      else list.replace(resolved, (existing) => existing.id === resolved.id);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <Page title="Provider errors">
      <div className="stack">
        <form className="filters" aria-label="Which errors" onSubmit={(e) => e.preventDefault()}>
          <SelectField
            label="Show"
            value={status}
            options={[
              { value: 'unresolved', label: 'Unresolved' },
              { value: 'resolved', label: 'Resolved' },
              { value: 'all', label: 'All' },
            ]}
            onChange={(event) => setStatus(event.target.value as Status)}
          />
        </form>
        {error ? <Alert tone="error">{error}</Alert> : null}
        {list.items.length > 0 ? (
          <ul className="admin-list" aria-label="Provider errors">
            {list.items.map((entry) => (
              <li key={entry.id} className="admin-list-item admin-list-item-wrap">
                <div>
                  <span className="admin-list-title">
                    {providerLabel(entry.provider)} · {entry.errorKind}
                    {entry.status === null ? '' : ` (HTTP ${entry.status})`}
                  </span>
                  <span className="cell-note">
                    {formatDateTime(entry.createdAt)} · {entry.model} · {entry.purpose}
                    {entry.studentSawError ? ' · a student saw an error' : ''}
                  </span>
                  <p className="error-message">{entry.message}</p>
                </div>
                {entry.resolvedAt ? (
                  <span className="cell-note">Resolved {formatDateTime(entry.resolvedAt)}</span>
                ) : (
                  <Button variant="secondary" onClick={() => void handleResolve(entry)}>
                    Mark resolved
                  </Button>
                )}
              </li>
            ))}
          </ul>
        ) : null}
        <PagedListStatus list={list} empty="No provider errors here." />
      </div>
    </Page>
  );
}
