import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SystemMetricsResponse, SystemWindow } from '@hintbook/contracts';
import { jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, renderSignedIn } from '../../../test/render-app';

const adminSession = buildSession({ user: buildUser({ isAdmin: true }) });

function buildWindow(overrides: Partial<SystemWindow> = {}): SystemWindow {
  return {
    since: '2026-11-24T11:00:00.000Z',
    endpoints: [
      {
        route: '/api/chat/sessions',
        method: 'GET',
        count: 120,
        p50Ms: 12.5,
        p95Ms: 48,
        p99Ms: 1_450,
        errorRate: 0.004,
      },
    ],
    providers: [
      {
        provider: 'anthropic',
        kind: 'answer',
        count: 30,
        p50Ms: 2_100,
        p95Ms: 6_300,
        p99Ms: null,
        errorRate: 0.1,
      },
    ],
    firstToken: {
      count: 30,
      p50Ms: 640,
      p95Ms: 1_800,
      p99Ms: null,
      distribution: [
        { upToMs: 500, count: 10 },
        { upToMs: 1_000, count: 15 },
        { upToMs: null, count: 5 },
      ],
    },
    turns: { completed: 27, interrupted: 2, failed: 1 },
    ...overrides,
  };
}

const report: SystemMetricsResponse = {
  generatedAt: '2026-11-24T12:00:00.000Z',
  processStartedAt: '2026-11-20T08:00:00.000Z',
  scope: 'process',
  replicas: 1,
  hour: buildWindow(),
  day: buildWindow({
    since: '2026-11-23T12:00:00.000Z',
    endpoints: [],
    turns: { completed: 300, interrupted: 9, failed: 4 },
  }),
};

describe('SystemPage', () => {
  it('shows percentiles per endpoint and provider, error shares and first words, per period', async () => {
    const { user } = await renderSignedIn('/admin/system', adminSession, {
      beforeRender(mock) {
        mock.on('GET /api/admin/system/metrics', jsonResponse(200, report));
      },
    });

    const endpoint = (await screen.findByText('GET /api/chat/sessions')).closest('tr')!;
    expect(
      within(endpoint)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['120', '13 ms', '48 ms', '1.4 s', '0.4%']);
    const provider = screen.getByRole('rowheader', { name: 'anthropic · answer' }).closest('tr')!;
    expect(within(provider).getAllByRole('cell').at(-1)?.textContent).toBe('10%');
    expect(screen.getByText('P50 640 ms · P95 1.8 s · P99 –')).toBeTruthy();
    expect(
      screen.getByText(
        'P95 is shown from 20 answers on, P99 from 100: with fewer, one slow one would decide them.',
      ),
    ).toBeTruthy();
    const firstWords = screen.getByLabelText('First-word times');
    expect(
      within(firstWords)
        .getAllByRole('term')
        .map((term) => term.textContent),
    ).toEqual(['up to 500 ms', 'up to 1.0 s', 'longer']);
    expect(screen.getByText('27 completed · 2 stopped or cut off · 1 failed')).toBeTruthy();
    expect(screen.getByText(/^Measured by this server process since/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Last 24 hours' }));
    expect(await screen.findByText('300 completed · 9 stopped or cut off · 4 failed')).toBeTruthy();
    expect(screen.getByText('No requests in this period.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Last 24 hours' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it('explains the dashes of a row with too few requests for a tail percentile', async () => {
    const few = buildWindow({
      endpoints: [
        {
          route: 'static',
          method: 'GET',
          count: 3,
          p50Ms: 8,
          p95Ms: null,
          p99Ms: null,
          errorRate: 0,
        },
        {
          route: '/api/me',
          method: 'GET',
          count: 1,
          p50Ms: 3.8,
          p95Ms: null,
          p99Ms: null,
          errorRate: 0,
        },
      ],
      providers: [],
    });
    await renderSignedIn('/admin/system', adminSession, {
      beforeRender(mock) {
        mock.on('GET /api/admin/system/metrics', jsonResponse(200, { ...report, hour: few }));
      },
    });
    const endpoint = (await screen.findByText('GET /api/me')).closest('tr')!;
    expect(
      within(endpoint)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['1', '4 ms', '–', '–', '0%']);
    // The SPA's pages and files are named in words, not by the metrics' label.
    expect(
      screen.getByRole('rowheader', { name: 'GET pages and files (the app, the notebook)' }),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'P95 is shown from 20 requests on, P99 from 100: with fewer, one slow one would decide them.',
      ),
    ).toBeTruthy();
  });

  it('says which processes the figures cover', async () => {
    await renderSignedIn('/admin/system', adminSession, {
      beforeRender(mock) {
        mock.on(
          'GET /api/admin/system/metrics',
          jsonResponse(200, { ...report, scope: 'replicas', replicas: 3 }),
        );
      },
    });
    expect(await screen.findByText(/^Measured by 3 backend replicas together since/)).toBeTruthy();
  });

  it('is in the admin navigation', async () => {
    await renderSignedIn('/admin/system', adminSession, {
      beforeRender(mock) {
        mock.on('GET /api/admin/system/metrics', jsonResponse(200, report));
      },
    });
    const nav = screen.getByRole('navigation', { name: 'Admin sections' });
    expect(within(nav).getByRole('link', { name: 'System' }).getAttribute('href')).toBe(
      '/admin/system',
    );
  });
});
