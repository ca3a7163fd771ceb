import type { AdminUserSummary } from '@hintbook/contracts';
import { Link } from 'react-router';
import { formatCount, formatMaybeDateTime, formatUsd } from '../../../lib/format';
import { TableScroll } from '../../../components/TableScroll';

/** One row per person, the username linking to their page. */
export function UsersTable({ users }: { users: AdminUserSummary[] }) {
  return (
    <TableScroll label="People">
      <table className="admin-table">
        <caption className="visually-hidden">People</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Status</th>
            <th scope="col">Last active</th>
            <th scope="col" className="numeric">
              Tokens this month
            </th>
            <th scope="col" className="numeric">
              Cost this month
            </th>
            <th scope="col" className="numeric">
              Notebooks done
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row">
                <Link to={`/admin/people/${user.id}`}>{user.username}</Link>
                <span className="cell-note">{user.email}</span>
              </th>
              <td>
                {user.disabledAt ? 'Disabled' : 'Active'}
                {user.isAdmin ? ', admin' : ''}
              </td>
              <td>{formatMaybeDateTime(user.lastActiveAt)}</td>
              <td className="numeric">{formatCount(user.tokensThisMonth)}</td>
              <td className="numeric">{formatUsd(user.costThisMonthUsd)}</td>
              <td className="numeric">
                {formatCount(user.notebooksCompleted)} of {formatCount(user.notebooksStarted)}{' '}
                started
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
