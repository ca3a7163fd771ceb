import { Link } from 'react-router';
import type { StuckStudent } from '@hintbook/contracts';
import { formatDateTime } from '../../../lib/format';

/** Students with several failed checks, no pass, and a check in the last 30 minutes. */
export function StuckStudents({ stuck }: { stuck: StuckStudent[] }) {
  if (stuck.length === 0) return <p>Nobody is stuck right now.</p>;
  return (
    <ul aria-label="Students who are stuck">
      {stuck.map((row) => (
        <li key={`${row.userId}:${row.exerciseId}`}>
          <Link to={`/admin/people/${row.userId}`}>{row.username}</Link>: {row.failedChecks} failed
          checks on <code>{row.gradeId}</code>, last at {formatDateTime(row.lastCheckAt)}
        </li>
      ))}
    </ul>
  );
}
