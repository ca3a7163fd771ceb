import type { AdminUsageResponse } from '@hintbook/contracts';
import { formatCount, formatPeriod, formatUsd } from '../../../lib/format';
import { pointLabel } from '../usage-series';
import { TableScroll } from '../../../components/TableScroll';

const headings = { model: 'Model', provider: 'Provider', user: 'User' } as const;

/** The chart's numbers, newest period first, with totals: what screen readers and exports use. */
export function UsageTable({ report }: { report: AdminUsageResponse }) {
  const points = [...report.series].sort(
    (a, b) => b.period.localeCompare(a.period) || pointLabel(a).localeCompare(pointLabel(b)),
  );
  if (points.length === 0) return <p>No AI calls in this period.</p>;
  return (
    <TableScroll label="Usage per period">
      <table className="admin-table">
        <caption className="visually-hidden">Usage per period</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">{headings[report.by]}</th>
            <th scope="col" className="numeric">
              Input tokens
            </th>
            <th scope="col" className="numeric">
              Output tokens
            </th>
            <th scope="col" className="numeric">
              Calls
            </th>
            <th scope="col" className="numeric">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={`${point.period}|${point.key ?? ''}`}>
              <td>{formatPeriod(point.period, report.groupBy)}</td>
              <th scope="row">{pointLabel(point)}</th>
              <td className="numeric">{formatCount(point.inputTokens)}</td>
              <td className="numeric">{formatCount(point.outputTokens)}</td>
              <td className="numeric">{formatCount(point.calls)}</td>
              <td className="numeric">{formatUsd(point.costUsd)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total
            </th>
            <td className="numeric">{formatCount(report.totals.inputTokens)}</td>
            <td className="numeric">{formatCount(report.totals.outputTokens)}</td>
            <td className="numeric">{formatCount(report.totals.calls)}</td>
            <td className="numeric">{formatUsd(report.totals.costUsd)}</td>
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  );
}
