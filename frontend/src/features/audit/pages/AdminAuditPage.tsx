import { useState, type FormEvent } from 'react';
import type { AuditEntry } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { FormField } from '../../../components/FormField';
import { Page } from '../../../components/Page';
import { listAuditLog } from '../api';
import { PagedListStatus } from '../../../components/PagedListStatus';
import { formatDateTime } from '../../../lib/format';
import { usePagedList } from '../../../hooks/usePagedList';
import { TableScroll } from '../../../components/TableScroll';

interface Filters {
  action: string;
  actorId: string;
  targetType: string;
}

const empty: Filters = { action: '', actorId: '', targetType: '' };

/** Who did what to what, newest first, filterable. */
export function AdminAuditPage() {
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const list = usePagedList<AuditEntry>(async (before, signal) => {
    const page = await listAuditLog(
      {
        action: filters.action || undefined,
        actorId: filters.actorId || undefined,
        targetType: filters.targetType || undefined,
        before,
        limit: 50,
      },
      signal,
    );
    return { items: page.entries, nextBefore: page.nextBefore };
  }, JSON.stringify(filters));

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setFilters({
      action: draft.action.trim(),
      actorId: draft.actorId.trim(),
      targetType: draft.targetType.trim(),
    });
  }

  return (
    <Page title="Audit log">
      <div className="stack">
        <form className="filters" aria-label="Filter the audit log" onSubmit={handleSubmit}>
          <FormField
            label="Action"
            hint="For example module.publish"
            value={draft.action}
            onChange={(event) => setDraft({ ...draft, action: event.target.value })}
          />
          <FormField
            label="Actor (user id)"
            value={draft.actorId}
            onChange={(event) => setDraft({ ...draft, actorId: event.target.value })}
          />
          <FormField
            label="Target type"
            hint="For example user, module, settings"
            value={draft.targetType}
            onChange={(event) => setDraft({ ...draft, targetType: event.target.value })}
          />
          <div className="filters-submit">
            <Button type="submit" variant="secondary">
              Filter
            </Button>
          </div>
        </form>
        {list.items.length > 0 ? (
          <TableScroll label="Audit log">
            <table className="admin-table">
              <caption className="visually-hidden">Audit log</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatDateTime(entry.createdAt)}</td>
                    <td>{entry.actorEmail}</td>
                    <th scope="row">{entry.action}</th>
                    <td>
                      {entry.targetType}
                      {entry.targetId ? <span className="cell-note">{entry.targetId}</span> : null}
                    </td>
                    <td>
                      <code className="details">{JSON.stringify(entry.details)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : null}
        <PagedListStatus list={list} empty="No entries match." />
      </div>
    </Page>
  );
}
