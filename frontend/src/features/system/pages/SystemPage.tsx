import { useEffect, useState } from 'react';
import type { SystemMetricsResponse, SystemWindow } from '@hintbook/contracts';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { Page } from '../../../components/Page';
import { formatDateTime } from '../../../lib/format';
import { messageOf } from '../../../lib/form-errors';
import { getSystemMetrics } from '../api';
import { PercentileTable } from '../components/PercentileTable';
import { TailPercentileNote } from '../components/TailPercentileNote';
import { formatMs } from '../format';
import '../system.css';

type WindowName = 'hour' | 'day';
type Load =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; data: SystemMetricsResponse };

/**
 * How the server is doing, for schools without Grafana: response-time percentiles per endpoint
 * and per AI provider, error rates and the time to the tutor's first word, from the backend's
 * own measurements.
 */
export function SystemPage() {
  const [windowName, setWindowName] = useState<WindowName>('hour');
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getSystemMetrics(controller.signal).then(
      (data) => setLoad({ status: 'ready', data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ status: 'failed', message: messageOf(error) });
      },
    );
    return () => controller.abort();
  }, [generation]);

  return (
    <Page title="System">
      <div className="stack">
        <div className="system-window-picker" role="group" aria-label="Period">
          {(['hour', 'day'] as const).map((name) => (
            <Button
              key={name}
              variant={windowName === name ? 'primary' : 'secondary'}
              aria-pressed={windowName === name}
              onClick={() => setWindowName(name)}
            >
              {name === 'hour' ? 'Last hour' : 'Last 24 hours'}
            </Button>
          ))}
          <Button variant="secondary" onClick={() => setGeneration((value) => value + 1)}>
            Refresh
          </Button>
        </div>
        {load.status === 'loading' ? <p>Loading…</p> : null}
        {load.status === 'failed' ? <Alert tone="error">{load.message}</Alert> : null}
        {load.status === 'ready' ? (
          <SystemWindowView window={load.data[windowName]} report={load.data} />
        ) : null}
      </div>
    </Page>
  );
}

function SystemWindowView({
  window,
  report,
}: {
  window: SystemWindow;
  report: SystemMetricsResponse;
}) {
  const since = formatDateTime(window.since);
  const isPartial = window.since === report.processStartedAt;
  const mostFirstTokens = Math.max(1, ...window.firstToken.distribution.map((b) => b.count));
  return (
    <>
      <p className="cell-note">
        {report.replicas > 1
          ? `Measured by ${report.replicas} backend replicas together since ${since}${isPartial ? ' (when the oldest started)' : ''}; the other replicas’ figures are up to 15 seconds old.`
          : `Measured by this server process since ${since}${isPartial ? ' (when it started)' : ''}.`}
      </p>

      <section className="card" aria-labelledby="system-turns">
        <h2 id="system-turns">Tutor answers</h2>
        <p>
          {window.turns.completed} completed · {window.turns.interrupted} stopped or cut off ·{' '}
          {window.turns.failed} failed
        </p>
        <h3>Time to the first word</h3>
        <p>
          P50 {formatMs(window.firstToken.p50Ms)} · P95 {formatMs(window.firstToken.p95Ms)} · P99{' '}
          {formatMs(window.firstToken.p99Ms)}
        </p>
        {window.firstToken.count > 0 ? (
          <TailPercentileNote count={window.firstToken.count} noun="answers" />
        ) : null}
        {window.firstToken.count > 0 ? (
          <dl className="system-distribution" aria-label="First-word times">
            {window.firstToken.distribution.map((bucket) => (
              <FirstTokenBucket
                key={bucket.upToMs ?? 'rest'}
                bucket={bucket}
                most={mostFirstTokens}
              />
            ))}
          </dl>
        ) : (
          <p>No answers in this period.</p>
        )}
      </section>

      <section className="card" aria-labelledby="system-endpoints">
        <h2 id="system-endpoints">Endpoints</h2>
        {window.endpoints.length === 0 ? (
          <p>No requests in this period.</p>
        ) : (
          <PercentileTable
            subject="Endpoint"
            countHeading="Requests"
            failureHeading="Server errors"
            rows={window.endpoints.map((row) => ({
              ...row,
              key: `${row.method} ${row.route}`,
              label: <EndpointLabel method={row.method} route={row.route} />,
            }))}
          />
        )}
      </section>

      <section className="card" aria-labelledby="system-providers">
        <h2 id="system-providers">AI providers</h2>
        {window.providers.length === 0 ? (
          <p>No provider calls in this period.</p>
        ) : (
          <PercentileTable
            subject="Provider and call"
            countHeading="Calls"
            failureHeading="Failed"
            rows={window.providers.map((row) => ({
              ...row,
              key: `${row.provider} ${row.kind}`,
              label: `${row.provider} · ${row.kind}`,
            }))}
          />
        )}
      </section>
    </>
  );
}

function FirstTokenBucket({
  bucket,
  most,
}: {
  bucket: SystemWindow['firstToken']['distribution'][number];
  most: number;
}) {
  const label = bucket.upToMs === null ? 'longer' : `up to ${formatMs(bucket.upToMs)}`;
  return (
    <>
      <dt>{label}</dt>
      <dd aria-hidden="true">
        <div className="system-bar" style={{ width: `${(bucket.count / most) * 100}%` }} />
      </dd>
      <dd>{bucket.count}</dd>
    </>
  );
}

/** The metrics' catch-all labels in words; real routes as their template. */
const CATCH_ALL: Record<string, string> = {
  static: 'pages and files (the app, the notebook)',
  unmatched: 'unknown addresses (answered 404)',
};

function EndpointLabel({ method, route }: { method: string; route: string }) {
  const words = CATCH_ALL[route];
  if (words)
    return (
      <>
        <code>{method}</code> {words}
      </>
    );
  return (
    <code>
      {method} {route}
    </code>
  );
}
