import type { AdminExercise, ModuleExercisesResponse } from '@hintbook/contracts';
import { getModuleExercises } from '../admin-api';
import { useAdminData } from '../../../hooks/useAdminData';
import { AdminDataView } from '../../../components/AdminDataView';
import { AiPolicyEditor } from './AiPolicyEditor';
import { ExercisesTable } from './ExercisesTable';
import { StuckStudents } from './StuckStudents';

/** A module's exercises and the class's checks, students who are stuck, and the AI policy. */
export function ModuleExercisesSection({ moduleId }: { moduleId: string }) {
  const { state, reload, setData } = useAdminData(
    (signal) => getModuleExercises(moduleId, signal),
    moduleId,
  );

  function replaceExercise(data: ModuleExercisesResponse, exercise: AdminExercise) {
    setData({
      ...data,
      exercises: data.exercises.map((item) => (item.id === exercise.id ? exercise : item)),
    });
  }

  return (
    <AdminDataView state={state} what="the exercises" onRetry={reload}>
      {(data) => (
        <>
          <section className="card" aria-labelledby="module-exercises">
            <h2 id="module-exercises">Exercises</h2>
            <ExercisesTable
              moduleId={moduleId}
              exercises={data.exercises}
              stats={data.stats}
              onExerciseSaved={(exercise) => replaceExercise(data, exercise)}
            />
            <h3>Students who are stuck</h3>
            <StuckStudents stuck={data.stuck} />
          </section>
          <section className="card" aria-labelledby="module-ai-policy">
            <h2 id="module-ai-policy">AI policy</h2>
            <AiPolicyEditor moduleId={moduleId} policy={data.policy} policyNow={data.policyNow} />
          </section>
        </>
      )}
    </AdminDataView>
  );
}
