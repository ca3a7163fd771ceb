import { useEffect, useState } from 'react';
import type { LearningModule } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Page } from '../../../components/Page';
import { listModules } from '../api';
import { ModuleCard } from '../components/ModuleCard';
import { PersonalNotebooks } from '../components/PersonalNotebooks';

type Loaded =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; modules: LearningModule[] };

/** The course: modules in order with the student's progress, then their own notebooks. */
export function ModulesPage() {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    listModules(controller.signal).then(
      (modules) => setLoaded({ status: 'ready', modules }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoaded({
          status: 'failed',
          message: error instanceof Error ? error.message : 'Could not load the modules.',
        });
      },
    );
    return () => controller.abort();
  }, []);

  return (
    <Page title="Modules">
      <div className="stack">
        {loaded.status === 'failed' ? (
          <Alert tone="error">{loaded.message}</Alert>
        ) : loaded.status === 'loading' ? (
          <p className="loading" role="status">
            Loading the modules…
          </p>
        ) : loaded.modules.length === 0 ? (
          <p>No modules are published yet.</p>
        ) : (
          loaded.modules.map((module) => <ModuleCard key={module.id} module={module} />)
        )}
        <PersonalNotebooks />
      </div>
    </Page>
  );
}
