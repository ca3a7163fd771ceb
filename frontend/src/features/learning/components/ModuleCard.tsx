import { Link } from 'react-router';
import type { LearningModule } from '@hintbook/contracts';
import { PolicyNotice } from '../../exercises/components/PolicyNotice';
import { NotebookProgress, NotebookStatusTag } from './NotebookProgress';

/** One module: its notebooks in order, each with the student's status, and overall progress. */
export function ModuleCard({ module }: { module: LearningModule }) {
  const completed = module.notebooks.filter((notebook) => notebook.status === 'completed').length;
  const headingId = `module-${module.id}`;
  return (
    <section className="card module-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="module-title">
        {module.title}
      </h2>
      {module.description ? <p className="module-description">{module.description}</p> : null}
      <PolicyNotice policy={module.aiPolicy} />
      <NotebookProgress
        completed={completed}
        total={module.notebooks.length}
        label={`${module.title}: progress`}
      />
      <ol className="module-notebooks">
        {module.notebooks.map((notebook) => (
          <li key={notebook.id} className="module-notebook">
            <div>
              <Link to={`/modules/${module.id}/notebooks/${notebook.id}`}>{notebook.title}</Link>
              {notebook.description ? (
                <p className="module-notebook-description">{notebook.description}</p>
              ) : null}
              {notebook.exercises.total > 0 ? (
                <p className="module-notebook-exercises">
                  {notebook.exercises.passed} of {notebook.exercises.total} exercises passed
                </p>
              ) : null}
            </div>
            <NotebookStatusTag status={notebook.status} />
          </li>
        ))}
      </ol>
    </section>
  );
}
