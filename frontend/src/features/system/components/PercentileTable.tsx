import type { ReactNode } from 'react';
import { formatMs, formatShare } from '../format';
import { TailPercentileNote } from './TailPercentileNote';

/** One row: what was timed, how often, its percentiles and the share that failed. */
export interface PercentileRow {
  key: string;
  label: ReactNode;
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  errorRate: number;
}

/** Percentiles per endpoint or per provider: the System page's two tables share one shape. */
export function PercentileTable({
  subject,
  countHeading,
  failureHeading,
  rows,
}: {
  subject: string;
  countHeading: string;
  failureHeading: string;
  rows: PercentileRow[];
}) {
  const fewest = Math.min(...rows.map((row) => row.count));
  return (
    <>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{subject}</th>
            {[countHeading, 'P50', 'P95', 'P99', failureHeading].map((heading) => (
              <th key={heading} scope="col" className="numeric">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td className="numeric">{row.count}</td>
              <td className="numeric">{formatMs(row.p50Ms)}</td>
              <td className="numeric">{formatMs(row.p95Ms)}</td>
              <td className="numeric">{formatMs(row.p99Ms)}</td>
              <td className="numeric">{formatShare(row.errorRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <TailPercentileNote count={fewest} noun={countHeading.toLowerCase()} />
    </>
  );
}
