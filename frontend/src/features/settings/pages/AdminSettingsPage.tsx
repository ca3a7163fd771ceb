import { Page } from '../../../components/Page';
import { getAiSettings } from '../api';
import { AdminDataView } from '../../../components/AdminDataView';
import { AiSettingsForm } from '../components/AiSettingsForm';
import { ProviderStatusTable } from '../components/ProviderStatusTable';
import { ProviderTests } from '../components/ProviderTests';
import { useAdminData } from '../../../hooks/useAdminData';

/** Provider chain, models and limits: environment defaults, saved overrides, provider tests. */
export function AdminSettingsPage() {
  const { state, reload, setData } = useAdminData((signal) => getAiSettings(signal), 'settings');
  return (
    <Page title="AI settings">
      <AdminDataView state={state} what="the AI settings" onRetry={reload}>
        {(current) => (
          <div className="stack">
            <section className="card" aria-labelledby="settings-providers">
              <h2 id="settings-providers">Providers</h2>
              <ProviderStatusTable providers={current.providers} />
              <ProviderTests providers={current.providers} />
            </section>
            <AiSettingsForm current={current} onSaved={setData} />
          </div>
        )}
      </AdminDataView>
    </Page>
  );
}
