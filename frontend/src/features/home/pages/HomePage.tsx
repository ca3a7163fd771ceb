import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { LearningModule } from '@hintbook/contracts';
import { Page } from '../../../components/Page';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { listModules } from '../../learning/api';
import { LevelsNote } from '../components/LevelsNote';
import { ModuleResume } from '../components/ModuleResume';

/** The signed-in landing page: the tutor, and where the student is in each module. */
export function HomePage() {
  const user = useCurrentUser();
  const [modules, setModules] = useState<LearningModule[] | 'failed' | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    // The page works without the list: a failed load leaves a link to the Modules page.
    listModules(controller.signal).then(setModules, () => {
      if (!controller.signal.aborted) setModules('failed');
    });
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
        <LevelsNote user={user} />
      </div>
      <section className="card" aria-labelledby="home-modules">
        <h2 id="home-modules">Your modules</h2>
        {modules === null ? (
          <p className="loading" role="status">
            Loading your modules…
          </p>
        ) : modules === 'failed' ? (
          <p>
            Your progress could not be loaded just now. The <Link to="/modules">Modules</Link> page
            lists every module.
          </p>
        ) : modules.length === 0 ? (
          <p>No modules are published yet.</p>
        ) : (
          <ul className="home-modules">
            {modules.map((module) => (
              <ModuleResume key={module.id} module={module} />
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
