import { Link } from 'react-router';
import type { LearningModule } from '@hintbook/contracts';
import { PolicyNotice } from '../../exercises/components/PolicyNotice';
import { NotebookProgress } from '../../learning/components/NotebookProgress';

/**
 * One module on the home page: how far the student is, and one link straight to where they
 * left off (the first notebook not completed, in course order), so coming back is one click.
 */
export function ModuleResume({ module }: { module: LearningModule }) {
  const done = module.notebooks.filter((notebook) => notebook.status === 'completed').length;
  const exercises = module.notebooks.reduce(
    (sum, notebook) => ({
      total: sum.total + notebook.exercises.total,
      passed: sum.passed + notebook.exercises.passed,
    }),
    { total: 0, passed: 0 },
  );
  const next = module.notebooks.find((notebook) => notebook.status !== 'completed');
  const started = module.notebooks.some((notebook) => notebook.status !== 'not_started');
  return (
    <li className="home-module">
      <h3 className="home-module-title">{module.title}</h3>
      <NotebookProgress
        completed={done}
        total={module.notebooks.length}
        label={`${module.title}: progress`}
      />
      {exercises.total > 0 ? (
        <p className="home-module-exercises">
          {exercises.passed} of {exercises.total} exercises passed
        </p>
      ) : null}
      <PolicyNotice policy={module.aiPolicy} />
      <p>
        {next ? (
          <Link to={`/modules/${module.id}/notebooks/${next.id}`}>
            {started ? 'Continue with' : 'Start with'} {next.title}
          </Link>
        ) : module.notebooks.length > 0 ? (
          <>
            Every notebook completed. <Link to="/modules">Look back over them</Link>
          </>
        ) : (
          'No notebooks in it yet.'
        )}
      </p>
    </li>
  );
}
