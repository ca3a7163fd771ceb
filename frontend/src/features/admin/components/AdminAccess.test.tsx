import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, renderSignedIn } from '../../../test/render-app';
import { aiSettings, budget, noErrors } from '../../../test/admin-fixtures';

const adminSession = buildSession({ user: buildUser({ isAdmin: true, username: 'teach' }) });

describe('who reaches the admin panel', () => {
  it('shows students no Admin link and a “not for you” page at /admin, asking the API nothing', async () => {
    const { mock } = await renderSignedIn('/admin');

    expect(
      await screen.findByRole('heading', { level: 1, name: 'This page is not for you' }),
    ).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Admin' })).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Admin sections' })).toBeNull();
    expect(mock.requests.filter((request) => request.path.startsWith('/api/admin'))).toEqual([]);
  });

  it('gives admins the link and the overview, with AI status and the budget', async () => {
    await renderSignedIn('/admin', adminSession, {
      beforeRender(mock) {
        mock.on('GET /api/admin/usage/budget', jsonResponse(200, { budget: budget() }));
        mock.on('GET /api/admin/settings', jsonResponse(200, aiSettings()));
        mock.on('GET /api/admin/provider-errors', jsonResponse(200, noErrors));
        mock.on(
          'GET /api/admin/usage/privacy',
          jsonResponse(200, {
            from: '2026-01-01T00:00:00.000Z',
            to: '2026-01-31T00:00:00.000Z',
            redactionKinds: ['name', 'email', 'phone', 'secret'],
            answers: 3,
            redactions: { name: 1, email: 2, phone: 0, secret: 1 },
            chatRetentionDays: 180,
          }),
        );
        mock.on(
          'GET /api/admin/retrieval',
          jsonResponse(200, {
            retrieval: {
              mode: 'full_text',
              reason: 'no_embedding_key',
              embedding: null,
              passages: { course: 56, own: 0, embedded: 0, pending: 0 },
            },
          }),
        );
      },
    });

    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Admin' }).getAttribute('href')).toBe('/admin');
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeTruthy();
    const meter = await screen.findByRole('meter', { name: 'Monthly AI budget used' });
    expect(meter.getAttribute('value')).toBe('0.125');
    expect(await screen.findByRole('rowheader', { name: 'OpenAI' })).toBeTruthy();
    expect(screen.getByText('No unresolved provider errors')).toBeTruthy();
    expect((await screen.findByText(/^Course search:/)).parentElement!.textContent).toContain(
      'by words only',
    );
    expect(await screen.findByText(/^Replaced before reaching the AI providers/)).toBeTruthy();
    // 12.5 % used: no warning.
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a 403 from the API instead of offering to try again', async () => {
    const forbidden = jsonResponse(403, {
      error: { code: 'auth.forbidden', message: 'Admins only' },
    });
    await renderSignedIn('/admin/usage', adminSession, {
      beforeRender(mock) {
        mock.on('GET /api/admin/usage', forbidden);
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('is not an admin');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });
});
