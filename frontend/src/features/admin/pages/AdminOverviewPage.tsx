import { Link } from 'react-router';
import { Page } from '../../../components/Page';
import { getAiSettings } from '../../settings/api';
import { getBudget, getPrivacyReport, listProviderErrors } from '../../usage/api';
import { getRetrievalStatus } from '../../retrieval/api';
import { AdminDataView } from '../../../components/AdminDataView';
import { BudgetBanner } from '../../usage/components/BudgetBanner';
import { BudgetMeter } from '../../usage/components/BudgetMeter';
import { PrivacySummary } from '../../usage/components/PrivacySummary';
import { ProviderStatusTable } from '../../settings/components/ProviderStatusTable';
import { RetrievalStatusSummary } from '../../retrieval/components/RetrievalStatusSummary';
import { formatCount } from '../../../lib/format';
import { useAdminData } from '../../../hooks/useAdminData';

/** The admin's landing page: money, AI health, and where to go next. */
export function AdminOverviewPage() {
  const budget = useAdminData((signal) => getBudget(signal), 'budget');
  const settings = useAdminData((signal) => getAiSettings(signal), 'settings');
  const errors = useAdminData(
    (signal) => listProviderErrors({ status: 'unresolved', limit: 1 }, signal),
    'errors',
  );
  const retrieval = useAdminData((signal) => getRetrievalStatus(signal), 'retrieval');
  const privacy = useAdminData((signal) => getPrivacyReport(signal), 'privacy');

  return (
    <Page title="Admin overview" heading="Overview">
      <div className="stack">
        {budget.state.status === 'ready' ? <BudgetBanner budget={budget.state.data} /> : null}
        <section className="card" aria-labelledby="overview-budget">
          <h2 id="overview-budget">This month’s AI budget</h2>
          <AdminDataView state={budget.state} what="the budget" onRetry={budget.reload}>
            {(data) => <BudgetMeter budget={data} />}
          </AdminDataView>
        </section>
        <section className="card" aria-labelledby="overview-ai">
          <h2 id="overview-ai">AI status</h2>
          <AdminDataView state={settings.state} what="the AI status" onRetry={settings.reload}>
            {(data) => <ProviderStatusTable providers={data.providers} />}
          </AdminDataView>
          {errors.state.status === 'ready' ? (
            <p>
              <Link to="/admin/provider-errors">
                {errors.state.data.unresolvedCount === 0
                  ? 'No unresolved provider errors'
                  : `${formatCount(errors.state.data.unresolvedCount)} unresolved provider errors`}
              </Link>
            </p>
          ) : null}
          <AdminDataView
            state={retrieval.state}
            what="the course search status"
            onRetry={retrieval.reload}
          >
            {(data) => <RetrievalStatusSummary status={data} />}
          </AdminDataView>
        </section>
        <section className="card" aria-labelledby="overview-privacy">
          <h2 id="overview-privacy">Privacy</h2>
          <AdminDataView state={privacy.state} what="the privacy summary" onRetry={privacy.reload}>
            {(data) => <PrivacySummary report={data} />}
          </AdminDataView>
        </section>
        <section className="card" aria-labelledby="overview-links">
          <h2 id="overview-links">Quick links</h2>
          <ul className="quick-links">
            <li>
              <Link to="/admin/content">Modules and notebooks</Link>
            </li>
            <li>
              <Link to="/admin/people">People</Link>
            </li>
            <li>
              <Link to="/admin/usage">Usage and cost</Link>
            </li>
            <li>
              <Link to="/admin/questions">What students ask</Link>
            </li>
            <li>
              <Link to="/admin/settings">AI settings and limits</Link>
            </li>
            <li>
              <Link to="/admin/audit">Audit log</Link>
            </li>
          </ul>
        </section>
      </div>
    </Page>
  );
}
