import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { LearningModule } from '@hintbook/contracts';
import { Page } from '../../../components/Page';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { PolicyNotice } from '../../exercises/components/PolicyNotice';
import { listModules } from '../../learning/api';

/** The signed-in landing page: the tutor, and where the student is in each module. */
export function HomePage() {
  const user = useCurrentUser();
  const [modules, setModules] = useState<LearningModule[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    // The page works without the list: a failed load just leaves the link to the modules.
    listModules(controller.signal).then(setModules, () => undefined);
    return () => controller.abort();
  }, []);

  return (
    <Page title="Home" heading={`Welcome, ${user.username}`}>
      <div className="card prose">
        <p>
          Hintbook is a coding tutor that helps you find the answer yourself, with hints that get
          more concrete only when you need them.
        </p>
        <p>
          <Link className="button button-primary home-cta" to="/chat">
            Ask the tutor
          </Link>
        </p>
        <p>
          Tell the tutor where to start by{' '}
          <Link to="/profile">setting your programming and maths levels</Link>.
        </p>
      </div>
      <section className="card" aria-labelledby="home-modules">
        <h2 id="home-modules">Your modules</h2>
        {modules && modules.length === 0 ? <p>No modules are published yet.</p> : null}
        <ul className="home-modules">
          {(modules ?? []).map((module) => {
            const exercises = module.notebooks.reduce(
              (sum, nb) => ({
                total: sum.total + nb.exercises.total,
                passed: sum.passed + nb.exercises.passed,
              }),
              { total: 0, passed: 0 },
            );
            const done = module.notebooks.filter((nb) => nb.status === 'completed').length;
            return (
              <li key={module.id}>
                <Link to="/modules">{module.title}</Link>{' '}
                <span>
                  {done} of {module.notebooks.length} notebooks completed
                  {exercises.total > 0
                    ? `, ${exercises.passed} of ${exercises.total} exercises passed`
                    : ''}
                </span>
                <PolicyNotice policy={module.aiPolicy} />
              </li>
            );
          })}
        </ul>
      </section>
    </Page>
  );
}
