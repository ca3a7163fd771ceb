import type { StudentExercise } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { CheckResultView } from './CheckResultView';
import type { CheckState, ExerciseList as ExerciseListState } from '../hooks/useExerciseChecks';

interface ExerciseListProps {
  list: ExerciseListState;
  checks: Record<string, CheckState>;
  onCheck(exercise: StudentExercise): void;
  /** False until Python runs: a check needs the kernel. */
  canCheck: boolean;
}

const STATUS_TEXT: Record<StudentExercise['status'], string> = {
  not_tried: 'Not checked yet',
  tried: 'Not passed yet',
  passed: 'Passed',
};

/** The prompt's first line, without markdown heading marks: enough to tell exercises apart. */
export function exerciseTitle(exercise: StudentExercise, index: number): string {
  const line = exercise.prompt
    .split('\n')
    .map((text) => text.replace(/^#+\s*/, '').trim())
    .find((text) => text.length > 0);
  const short = line && line.length > 80 ? `${line.slice(0, 79)}…` : line;
  if (!short) return `Exercise ${index + 1}`;
  // "Exercise 3: even or odd" already names itself; "2. Exercise 3: …" would give two numbers.
  return /^(exercise|task|question)\b/i.test(short) ? short : `${index + 1}. ${short}`;
}

/** The notebook's exercises, each with a Check that runs its tests against the cell's code. */
export function ExerciseList({ list, checks, onCheck, canCheck }: ExerciseListProps) {
  if (list.status === 'loading') return null;
  if (list.status === 'failed') {
    return <Alert tone="error">The exercises could not be loaded: {list.message}</Alert>;
  }
  if (list.exercises.length === 0) return null;
  const passed = list.exercises.filter((exercise) => exercise.status === 'passed').length;
  return (
    <section className="exercise-list" aria-labelledby="exercise-list-title">
      <h2 id="exercise-list-title" className="exercise-list-title">
        Exercises{' '}
        <span className="exercise-list-progress">
          ({passed} of {list.exercises.length} passed)
        </span>
      </h2>
      <ol>
        {list.exercises.map((exercise, index) => {
          const state = checks[exercise.id];
          const title = exerciseTitle(exercise, index);
          return (
            <li key={exercise.id} className={`exercise exercise-${exercise.status}`}>
              <div className="exercise-row">
                <span className="exercise-title">{title}</span>
                <span className="exercise-status">{STATUS_TEXT[exercise.status]}</span>
                <Button
                  variant="secondary"
                  aria-label={`Check ${title}`}
                  isBusy={state?.status === 'checking'}
                  busyLabel="Checking…"
                  disabled={!canCheck}
                  onClick={() => onCheck(exercise)}
                >
                  Check
                </Button>
              </div>
              {state?.status === 'done' ? <CheckResultView result={state.result} /> : null}
              {state?.status === 'failed' ? <Alert tone="error">{state.message}</Alert> : null}
            </li>
          );
        })}
      </ol>
      {!canCheck ? <p className="exercise-list-hint">Checks run once Python has started.</p> : null}
    </section>
  );
}
