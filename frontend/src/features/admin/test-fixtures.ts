import type {
  AdminUserSummary,
  AiSettingsResponse,
  BudgetStatus,
  ListProviderErrorsResponse,
} from '@hintbook/contracts';

/** Test data for the admin pages, in the API's shapes. */

export function budget(overrides: Partial<BudgetStatus> = {}): BudgetStatus {
  return {
    spentUsd: 12.5,
    budgetUsd: 100,
    fraction: 0.125,
    isWarning: false,
    isExhausted: false,
    ...overrides,
  };
}

export const noErrors: ListProviderErrorsResponse = {
  errors: [],
  unresolvedCount: 0,
  nextBefore: null,
};

export function aiSettings(): AiSettingsResponse {
  const defaults = {
    chain: ['openai' as const],
    models: { openai: { model: 'gpt-5-mini', smallModel: 'gpt-5-nano' } },
    limits: {
      turnsPerMinute: 10,
      dailyTokens: 50_000,
      weeklyTokens: 200_000,
      monthlyBudgetUsd: 100,
      messageMaxLength: 4000,
    },
  };
  return {
    settings: { ...defaults, limits: { ...defaults.limits, monthlyBudgetUsd: 250 } },
    defaults,
    overridden: { chain: false, models: false, limits: true },
    providers: [
      {
        provider: 'openai',
        isAvailable: true,
        isInChain: true,
        circuit: 'closed',
        recentCalls: 4,
        recentErrors: 1,
        lastErrorKind: 'rate_limited',
        lastErrorAt: '2026-11-24T10:00:00.000Z',
        lastSuccessAt: '2026-11-24T11:00:00.000Z',
      },
    ],
    updatedAt: '2026-11-20T09:00:00.000Z',
  };
}

export function adminUser(overrides: Partial<AdminUserSummary> = {}): AdminUserSummary {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'bo@example.org',
    username: 'bo',
    isAdmin: false,
    disabledAt: null,
    createdAt: '2026-09-01T00:00:00.000Z',
    lastLoginAt: '2026-11-24T08:00:00.000Z',
    lastActiveAt: '2026-11-24T09:00:00.000Z',
    tokensThisMonth: 12_345,
    costThisMonthUsd: 0.42,
    notebooksStarted: 3,
    notebooksCompleted: 1,
    allowance: { dailyTokens: null, weeklyTokens: null },
    ...overrides,
  };
}
