import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsageEvent } from './usage.repository.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';

describe('admin: usage and cost', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let student: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAIL, MONTHLY_BUDGET_USD: '10' });
    admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
    student = await registerThroughApi(t.app, { username: 'ada' });
    const row = (createdAt: string, model: string, costUsd: number, userId: string | null) => ({
      userId,
      purpose: 'answer' as const,
      provider: model.startsWith('gpt') ? 'openai' : 'anthropic',
      model,
      inputTokens: 100,
      outputTokens: 10,
      costUsd,
      outcome: 'ok' as const,
      createdAt: new Date(createdAt),
    });
    // The test clock is 2026-01-05 (a Monday).
    for (const event of [
      row('2025-12-31T23:00:00Z', 'claude-sonnet-4-5', 1, student.body.user.id),
      row('2026-01-03T10:00:00Z', 'claude-sonnet-4-5', 2, student.body.user.id),
      row('2026-01-05T08:00:00Z', 'claude-sonnet-4-5', 3, null),
      row('2026-01-05T08:30:00Z', 'gpt-5-mini', 3.5, student.body.user.id),
    ])
      await insertUsageEvent(t.database.db, event);
  });
  afterAll(() => t.close());

  const report = (query: string) => asUser(t, admin).get(`/api/admin/usage?${query}`).expect(200);

  it('sums tokens and cost per day and model', async () => {
    const res = await report(
      'from=2025-12-01T00:00:00Z&to=2026-02-01T00:00:00Z&groupBy=day&by=model',
    );
    expect(res.body.series).toEqual([
      expect.objectContaining({
        period: '2025-12-31T00:00:00.000Z',
        key: 'claude-sonnet-4-5',
        costUsd: 1,
        calls: 1,
      }),
      expect.objectContaining({
        period: '2026-01-03T00:00:00.000Z',
        key: 'claude-sonnet-4-5',
        costUsd: 2,
      }),
      expect.objectContaining({
        period: '2026-01-05T00:00:00.000Z',
        key: 'claude-sonnet-4-5',
        costUsd: 3,
      }),
      expect.objectContaining({
        period: '2026-01-05T00:00:00.000Z',
        key: 'gpt-5-mini',
        costUsd: 3.5,
        inputTokens: 100,
        outputTokens: 10,
      }),
    ]);
    expect(res.body.totals).toEqual({ inputTokens: 400, outputTokens: 40, costUsd: 9.5, calls: 4 });
  });

  it('groups by week (from Monday) and month, by provider and by user', async () => {
    const weeks = await report(
      'from=2025-12-01T00:00:00Z&to=2026-02-01T00:00:00Z&groupBy=week&by=provider',
    );
    expect(
      weeks.body.series.map((p: { period: string; key: string; calls: number }) => [
        p.period,
        p.key,
        p.calls,
      ]),
    ).toEqual([
      ['2025-12-29T00:00:00.000Z', 'anthropic', 2],
      ['2026-01-05T00:00:00.000Z', 'anthropic', 1],
      ['2026-01-05T00:00:00.000Z', 'openai', 1],
    ]);
    const months = await report(
      'from=2025-12-01T00:00:00Z&to=2026-02-01T00:00:00Z&groupBy=month&by=user',
    );
    expect(months.body.series).toEqual([
      expect.objectContaining({
        period: '2025-12-01T00:00:00.000Z',
        key: student.body.user.id,
        label: 'ada',
        costUsd: 1,
      }),
      expect.objectContaining({
        period: '2026-01-01T00:00:00.000Z',
        key: student.body.user.id,
        label: 'ada',
        costUsd: 5.5,
      }),
      expect.objectContaining({ period: '2026-01-01T00:00:00.000Z', key: null, costUsd: 3 }),
    ]);
  });

  it('reports the monthly budget with the 80 % warning', async () => {
    const res = await asUser(t, admin).get('/api/admin/usage/budget').expect(200);
    expect(res.body.budget).toMatchObject({
      spentUsd: 8.5,
      budgetUsd: 10,
      isWarning: true,
      isExhausted: false,
    });
  });
});
