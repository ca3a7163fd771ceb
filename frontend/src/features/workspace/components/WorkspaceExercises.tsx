import { PolicyNotice } from '../../exercises/components/PolicyNotice';
import { ExerciseList } from '../../exercises/components/ExerciseList';
import { useExerciseChecks } from '../../exercises/hooks/useExerciseChecks';
import type { RunInKernel } from '../../exercises/run-check';

interface WorkspaceExercisesProps {
  moduleId: string;
  notebookId: string;
  runInKernel: RunInKernel;
  canCheck: boolean;
  onNotebookCompleted(): void;
}

/** Above the tutor in a module notebook: how the tutor may help now, and the exercises to check. */
export function WorkspaceExercises({
  moduleId,
  notebookId,
  runInKernel,
  canCheck,
  onNotebookCompleted,
}: WorkspaceExercisesProps) {
  const { list, checks, check } = useExerciseChecks({
    moduleId,
    notebookId,
    runInKernel,
    onNotebookCompleted,
  });
  return (
    <div className="workspace-exercises">
      {list.status === 'ready' ? <PolicyNotice policy={list.policy} /> : null}
      <ExerciseList
        list={list}
        checks={checks}
        canCheck={canCheck}
        onCheck={(exercise) => void check(exercise)}
      />
    </div>
  );
}
