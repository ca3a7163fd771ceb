import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { ListAdminUsersQuery } from '@hintbook/contracts';
import { Button } from '../../../components/Button';
import { Page } from '../../../components/Page';
import { listClassGroups } from '../../roster/api';
import { listUsers } from '../api';
import { AdminDataView } from '../../../components/AdminDataView';
import { SelectField } from '../../../components/SelectField';
import { UsersTable } from '../components/UsersTable';
import { formatCount } from '../../../lib/format';
import { useAdminData } from '../../../hooks/useAdminData';

type Status = 'all' | 'active' | 'disabled';
type Sort = 'last_active' | 'usage' | 'created' | 'email';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const activeOptions = [
  { value: '', label: 'Any time' },
  { value: '1', label: 'In the last 24 hours' },
  { value: '7', label: 'In the last 7 days' },
  { value: '30', label: 'In the last 30 days' },
];

/** Called when the list loads (an effect), never during render. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString();
}

/** Everyone with an account: search, filters, sorting and pages. */
export function AdminUsersPage() {
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<Status>('all');
  const [activeDays, setActiveDays] = useState('');
  const [sort, setSort] = useState<Sort>('last_active');
  const [offset, setOffset] = useState(0);
  // The group lives in the address, so a group's link on the Classes page opens this list.
  const [searchParams, setSearchParams] = useSearchParams();
  const groupId = searchParams.get('group') ?? '';
  const groups = useAdminData((signal) => listClassGroups(signal), 'groups');

  const { state, reload } = useAdminData(
    (signal) => {
      const query: ListAdminUsersQuery = { status, sort, limit: PAGE_SIZE, offset };
      if (q) query.q = q;
      if (groupId) query.groupId = groupId;
      if (activeDays) {
        query.activeSince = daysAgo(Number(activeDays));
      }
      return listUsers(query, signal);
    },
    JSON.stringify([q, status, activeDays, sort, offset, groupId]),
  );

  function handleSearch(event: FormEvent) {
    event.preventDefault();
    setOffset(0);
    setQ(draft.trim());
  }

  return (
    <Page title="People">
      <div className="stack">
        <form className="filters" role="search" aria-label="Find people" onSubmit={handleSearch}>
          <div className="field filters-search">
            <label className="field-label" htmlFor="people-search">
              Email or username
            </label>
            <div className="inline-controls">
              <input
                id="people-search"
                className="input"
                type="search"
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
              />
              <Button type="submit" variant="secondary">
                Search
              </Button>
            </div>
          </div>
          <SelectField
            label="Status"
            value={status}
            options={[
              { value: 'all', label: 'Everyone' },
              { value: 'active', label: 'Active accounts' },
              { value: 'disabled', label: 'Disabled accounts' },
            ]}
            onChange={(event) => {
              setOffset(0);
              setStatus(event.target.value as Status);
            }}
          />
          <SelectField
            label="Group"
            value={groupId}
            options={[
              { value: '', label: 'All groups' },
              ...(groups.state.status === 'ready'
                ? groups.state.data.map((group) => ({ value: group.id, label: group.name }))
                : []),
            ]}
            onChange={(event) => {
              setOffset(0);
              setSearchParams(event.target.value ? { group: event.target.value } : {});
            }}
          />
          <SelectField
            label="Last active"
            value={activeDays}
            options={activeOptions}
            onChange={(event) => {
              setOffset(0);
              setActiveDays(event.target.value);
            }}
          />
          <SelectField
            label="Sort by"
            value={sort}
            options={[
              { value: 'last_active', label: 'Last active' },
              { value: 'usage', label: 'Usage this month' },
              { value: 'created', label: 'Newest accounts' },
              { value: 'email', label: 'Email' },
            ]}
            onChange={(event) => {
              setOffset(0);
              setSort(event.target.value as Sort);
            }}
          />
        </form>
        <AdminDataView state={state} what="the people" onRetry={reload}>
          {({ users, total }) => (
            <section aria-labelledby="people-results">
              <h2 id="people-results" className="visually-hidden">
                Results
              </h2>
              <p role="status">
                {total === 0
                  ? 'Nobody matches.'
                  : `Showing ${formatCount(offset + 1)}–${formatCount(offset + users.length)} of ${formatCount(total)}`}
              </p>
              {users.length > 0 ? <UsersTable users={users} /> : null}
              <div className="pager">
                <Button
                  variant="secondary"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                >
                  Previous page
                </Button>
                <Button
                  variant="secondary"
                  disabled={offset + users.length >= total}
                  onClick={() => setOffset(offset + PAGE_SIZE)}
                >
                  Next page
                </Button>
              </div>
            </section>
          )}
        </AdminDataView>
      </div>
    </Page>
  );
}
