import { useCallback, useEffect, useRef, useState } from 'react';
import type { AiPolicyNow, StudentExercise } from '@hintbook/contracts';
import { messageOf } from '../../../lib/form-errors';
import { listNotebookExercises } from '../api';
import type { CheckResult } from '../check-result';
import { checkExercise, type RunInKernel } from '../run-check';

export type ExerciseList =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; exercises: StudentExercise[]; policy: AiPolicyNow };

/** What the last check of an exercise gave, or why it could not run. */
export type CheckState =
  | { status: 'checking' }
  | { status: 'done'; result: CheckResult }
  | { status: 'failed'; message: string };

interface Options {
  /** The module notebook (not the copy): the exercises belong to it. */
  moduleId: string;
  notebookId: string;
  runInKernel: RunInKernel;
  /** Every exercise of the notebook has passed: the copy is now completed. */
  onNotebookCompleted(): void;
}

/** A module notebook's exercises with a Check for each; progress follows every recorded check. */
export function useExerciseChecks({
  moduleId,
  notebookId,
  runInKernel,
  onNotebookCompleted,
}: Options) {
  const [list, setList] = useState<ExerciseList>({ status: 'loading' });
  const [checks, setChecks] = useState<Record<string, CheckState>>({});
  // A busy Check button stays clickable (for screen readers): a second click must not run twice.
  const inFlight = useRef(new Set<string>());

  useEffect(() => {
    const controller = new AbortController();
    listNotebookExercises(moduleId, notebookId, controller.signal).then(
      ({ exercises, policy }) => setList({ status: 'ready', exercises, policy }),
      (error: unknown) => {
        if (!controller.signal.aborted) setList({ status: 'failed', message: messageOf(error) });
      },
    );
    return () => controller.abort();
  }, [moduleId, notebookId]);

  const check = useCallback(
    async (exercise: StudentExercise) => {
      if (inFlight.current.has(exercise.id)) return;
      inFlight.current.add(exercise.id);
      setChecks((current) => ({ ...current, [exercise.id]: { status: 'checking' } }));
      try {
        const { result, recorded } = await checkExercise(exercise, runInKernel);
        setChecks((current) => ({ ...current, [exercise.id]: { status: 'done', result } }));
        setList((current) =>
          current.status === 'ready'
            ? {
                ...current,
                exercises: current.exercises.map((item) =>
                  item.id === recorded.exercise.id ? recorded.exercise : item,
                ),
              }
            : current,
        );
        if (recorded.notebookCompleted) onNotebookCompleted();
      } catch (error) {
        setChecks((current) => ({
          ...current,
          [exercise.id]: {
            status: 'failed',
            message: `The check could not run: ${messageOf(error)}`,
          },
        }));
      } finally {
        inFlight.current.delete(exercise.id);
      }
    },
    [runInKernel, onNotebookCompleted],
  );

  return { list, checks, check };
}
