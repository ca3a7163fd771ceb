import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, descriptionOf, renderSignedIn } from '../../../test/render-app';
import { aiSettings } from '../../../test/admin-fixtures';

const adminSession = buildSession({ user: buildUser({ isAdmin: true }) });

async function renderSettings() {
  const rendered = await renderSignedIn('/admin/settings', adminSession, {
    beforeRender(mock) {
      mock.on('GET /api/admin/settings', jsonResponse(200, aiSettings()));
    },
  });
  await screen.findByRole('button', { name: 'Save settings' });
  return rendered;
}

describe('AdminSettingsPage', () => {
  it('shows each value with the environment default, and which ones a saved override replaces', async () => {
    await renderSettings();

    const budget = screen.getByLabelText('Monthly budget (USD, everyone)') as HTMLInputElement;
    expect(budget.value).toBe('250');
    expect(descriptionOf(budget)).toBe('Saved override: $250.00 · environment default: $100.00');
    const perMinute = screen.getByLabelText(
      'Questions per minute (per student)',
    ) as HTMLInputElement;
    expect(perMinute.value).toBe('10');
    expect(descriptionOf(perMinute)).toBe('Environment default: 10');

    const model = screen.getByLabelText('OpenAI answer model') as HTMLInputElement;
    expect(model.value).toBe('gpt-5-mini');
    expect(descriptionOf(model)).toBe('Environment default: gpt-5-mini');
    const chain = screen.getByRole('list', { name: 'Providers in the order they are tried' });
    expect(within(chain).getByText('OpenAI (primary)')).toBeTruthy();
  });

  it('saves only what differs from the environment, and says it is in effect', async () => {
    const { user, mock } = await renderSettings();
    const saved = aiSettings();
    saved.settings.limits.dailyTokens = 1234;
    mock.on('PUT /api/admin/settings', jsonResponse(200, saved));

    const daily = screen.getByLabelText('Tokens per day (per student)');
    await user.clear(daily);
    await user.type(daily, '1234');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(await screen.findByText('Saved. The new settings are in effect now.')).toBeTruthy();
    expect(mock.requestsTo('PUT /api/admin/settings')[0]!.body).toEqual({
      chain: null,
      models: null,
      limits: { dailyTokens: 1234, monthlyBudgetUsd: 250 },
    });
    expect(descriptionOf(screen.getByLabelText('Tokens per day (per student)'))).toBe(
      'Saved override: 1,234 · environment default: 50,000',
    );
  });

  it('refuses a bad number before asking the server', async () => {
    const { user, mock } = await renderSettings();
    const perMinute = screen.getByLabelText('Questions per minute (per student)');
    await user.clear(perMinute);
    await user.type(perMinute, '0');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect((await screen.findByRole('alert')).textContent).toContain('not valid numbers');
    expect(descriptionOf(perMinute)).toContain('Enter a whole number from 1 to 1,000.');
    expect(mock.requestsTo('PUT /api/admin/settings')).toEqual([]);
  });

  it('tests a provider and shows the latency', async () => {
    const { user, mock } = await renderSettings();
    mock.on(
      'POST /api/admin/settings/providers/openai/test',
      jsonResponse(200, { ok: true, provider: 'openai', model: 'gpt-5-nano', latencyMs: 1234 }),
    );
    await user.click(screen.getByRole('button', { name: 'Test OpenAI' }));
    expect(await screen.findByText('Works: gpt-5-nano answered in 1,234 ms.')).toBeTruthy();
  });
});
