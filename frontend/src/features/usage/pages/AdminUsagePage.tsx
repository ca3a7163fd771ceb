import { lazy, Suspense, useState } from 'react';
import { Page } from '../../../components/Page';
import { getUsage } from '../api';
import { AdminDataView } from '../../../components/AdminDataView';
import { BudgetBanner } from '../components/BudgetBanner';
import { SelectField } from '../../../components/SelectField';
import { UsageTable } from '../components/UsageTable';
import { formatCount, formatDate, formatUsd } from '../../../lib/format';
import { useAdminData } from '../../../hooks/useAdminData';
import { periodsBetween, toChartData, type UsageMetric } from '../usage-series';

/** The API's `to` is exclusive (the next midnight): the range ends on the day before it. */
const lastMomentBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

// The charting library is the biggest part of the panel: only this page loads it.
const UsageChart = lazy(async () => ({
  default: (await import('../components/UsageChart')).UsageChart,
}));

type GroupBy = 'day' | 'week' | 'month';
type By = 'model' | 'provider' | 'user';

const ranges = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 12 months' },
];
const DAY_MS = 86_400_000;

/** Tokens and cost over time, by model, provider or user: a stacked chart and its table. */
export function AdminUsagePage() {
  const [days, setDays] = useState('30');
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [by, setBy] = useState<By>('model');
  const [metric, setMetric] = useState<UsageMetric>('tokens');
  const { state, reload } = useAdminData((signal) => {
    const from = new Date(Date.now() - Number(days) * DAY_MS).toISOString();
    return getUsage({ from, groupBy, by }, signal);
  }, `${days}|${groupBy}|${by}`);

  return (
    <Page title="Usage and cost">
      <div className="stack">
        <form className="filters" aria-label="What to show" onSubmit={(e) => e.preventDefault()}>
          <SelectField
            label="Period"
            value={days}
            options={ranges}
            onChange={(event) => setDays(event.target.value)}
          />
          <SelectField
            label="Group by"
            value={groupBy}
            options={[
              { value: 'day', label: 'Day' },
              { value: 'week', label: 'Week' },
              { value: 'month', label: 'Month' },
            ]}
            onChange={(event) => setGroupBy(event.target.value as GroupBy)}
          />
          <SelectField
            label="Split by"
            value={by}
            options={[
              { value: 'model', label: 'Model' },
              { value: 'provider', label: 'Provider' },
              { value: 'user', label: 'User' },
            ]}
            onChange={(event) => setBy(event.target.value as By)}
          />
          <SelectField
            label="Show"
            value={metric}
            options={[
              { value: 'tokens', label: 'Tokens' },
              { value: 'cost', label: 'Cost (USD)' },
            ]}
            onChange={(event) => setMetric(event.target.value as UsageMetric)}
          />
        </form>
        <AdminDataView state={state} what="the usage" onRetry={reload}>
          {(report) => (
            <>
              <BudgetBanner budget={report.budget} />
              <dl className="figures" aria-label="Totals for the period">
                <div>
                  <dt>Tokens</dt>
                  <dd>{formatCount(report.totals.inputTokens + report.totals.outputTokens)}</dd>
                </div>
                <div>
                  <dt>Cost</dt>
                  <dd>{formatUsd(report.totals.costUsd)}</dd>
                </div>
                <div>
                  <dt>AI calls</dt>
                  <dd>{formatCount(report.totals.calls)}</dd>
                </div>
                <div>
                  <dt>This month’s budget</dt>
                  <dd>
                    {formatUsd(report.budget.spentUsd)} of {formatUsd(report.budget.budgetUsd)}
                  </dd>
                </div>
              </dl>
              <section className="card" aria-labelledby="usage-chart-heading">
                <h2 id="usage-chart-heading">
                  {metric === 'cost' ? 'Cost' : 'Tokens'} per {groupBy}, by {by}
                </h2>
                <p className="field-hint">
                  {formatDate(report.from)} to {formatDate(lastMomentBefore(report.to))}
                </p>
                {report.series.length === 0 ? (
                  <p>No AI calls in this period.</p>
                ) : (
                  <Suspense
                    fallback={
                      <p className="loading" role="status">
                        Loading the chart…
                      </p>
                    }
                  >
                    <UsageChart
                      data={toChartData(
                        report.series,
                        metric,
                        periodsBetween(report.from, report.to, report.groupBy),
                      )}
                      metric={metric}
                      groupBy={report.groupBy}
                      title={`${metric === 'cost' ? 'Cost' : 'Tokens'} per ${groupBy}, by ${by}`}
                    />
                  </Suspense>
                )}
              </section>
              <section className="card" aria-labelledby="usage-table-heading">
                <h2 id="usage-table-heading">The numbers</h2>
                <UsageTable report={report} />
              </section>
            </>
          )}
        </AdminDataView>
      </div>
    </Page>
  );
}
