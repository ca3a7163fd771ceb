import type { AdminUserDetailResponse } from '@hintbook/contracts';
import { formatCount, formatUsd } from '../../../lib/format';
import { TableScroll } from '../../../components/TableScroll';

type Usage = AdminUserDetailResponse['usage'];

const windows = [
  { key: 'day', label: 'Today' },
  { key: 'week', label: 'This week' },
  { key: 'month', label: 'This month' },
] as const;

/** Tokens and cost today, this week and this month, against the person's limits. */
export function UserUsage({ usage }: { usage: Usage }) {
  return (
    <TableScroll label="AI usage">
      <table className="admin-table">
        <caption className="visually-hidden">AI usage</caption>
        <thead>
          <tr>
            <th scope="col">Window</th>
            <th scope="col" className="numeric">
              Tokens
            </th>
            <th scope="col" className="numeric">
              Allowance
            </th>
            <th scope="col" className="numeric">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {windows.map(({ key, label }) => {
            const window = usage[key];
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td className="numeric">{formatCount(window.tokens)}</td>
                <td className="numeric">
                  {window.limitTokens === null ? 'No limit' : formatCount(window.limitTokens)}
                </td>
                <td className="numeric">{formatUsd(window.costUsd)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
