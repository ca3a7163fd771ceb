import type { AdminExercise, ExerciseStats } from '@hintbook/contracts';
import { HELP_LEVELS } from '../policy-words';
import { ExerciseLimitsForm } from './ExerciseLimitsForm';
import { PassRateBar } from './PassRateBar';
import { TableScroll } from '../../../components/TableScroll';

interface ExercisesTableProps {
  moduleId: string;
  exercises: AdminExercise[];
  stats: ExerciseStats[];
  onExerciseSaved(exercise: AdminExercise): void;
}

function promptLine(prompt: string): string {
  const line = prompt
    .split('\n')
    .map((text) => text.replace(/^#+\s*/, '').trim())
    .find((text) => text.length > 0);
  return line ?? '';
}

/** Each exercise with how the class is doing on it; then each one's help limits to edit. */
export function ExercisesTable({
  moduleId,
  exercises,
  stats,
  onExerciseSaved,
}: ExercisesTableProps) {
  if (exercises.length === 0) {
    return (
      <p>
        No exercises yet. A code cell becomes one when it holds <code>### BEGIN SOLUTION</code> /{' '}
        <code>### END SOLUTION</code> (nbgrader's format); see the exercises guide.
      </p>
    );
  }
  const statsOf = new Map(stats.map((row) => [row.exerciseId, row]));
  return (
    <>
      <TableScroll label="Exercises and the class's checks">
        <table className="admin-table exercises-table">
          <caption className="visually-hidden">Exercises and the class's checks</caption>
          <thead>
            <tr>
              <th scope="col">Exercise</th>
              <th scope="col">Checks</th>
              <th scope="col">Passed</th>
              <th scope="col">Pass rate</th>
              <th scope="col">Median checks to pass</th>
              <th scope="col">Highest help given</th>
              <th scope="col">Answer guard trips</th>
            </tr>
          </thead>
          <tbody>
            {exercises.map((exercise) => {
              const row = statsOf.get(exercise.id);
              return (
                <tr key={exercise.id}>
                  <th scope="row">
                    <code>{exercise.gradeId}</code>
                    <div className="muted">{promptLine(exercise.prompt)}</div>
                  </th>
                  <td>{row?.attempts ?? 0}</td>
                  <td>
                    {row?.studentsPassed ?? 0} of {row?.students ?? 0} students
                  </td>
                  <td>
                    <PassRateBar rate={row?.passRate ?? null} />
                  </td>
                  <td>{row?.medianAttemptsToPass ?? '—'}</td>
                  <td>
                    {row?.highestHelpLevel
                      ? (HELP_LEVELS[row.highestHelpLevel] ?? row.highestHelpLevel)
                      : '—'}
                  </td>
                  <td>{row?.guardTrips ?? 0}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {/* Beside the figures, one form per row made every row a screen tall and pushed the
          table off the side of the card; the limits get their own list. */}
      <h3>Help limits</h3>
      <p className="field-hint">
        Per exercise: how many failed checks come before the tutor may help with code, and the most
        help it gives.
      </p>
      <ul className="exercise-limits" aria-label="Help limits per exercise">
        {exercises.map((exercise) => (
          <li key={exercise.id}>
            <span className="exercise-limits-name">
              <code>{exercise.gradeId}</code>{' '}
              <span className="muted">{promptLine(exercise.prompt)}</span>
            </span>
            <ExerciseLimitsForm moduleId={moduleId} exercise={exercise} onSaved={onExerciseSaved} />
          </li>
        ))}
      </ul>
    </>
  );
}
