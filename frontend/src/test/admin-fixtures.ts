import type {
  AdminModule,
  AdminUserSummary,
  AiSettingsResponse,
  BudgetStatus,
  ListProviderErrorsResponse,
  QuestionGroup,
  QuestionInsightsResponse,
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

export function adminModule(overrides: Partial<AdminModule> = {}): AdminModule {
  return {
    id: '7f0c5a57-3c4c-4f0e-9d0e-3f3b7b0a1a11',
    slug: 'loops-week',
    title: 'Loops week',
    description: '',
    position: 1,
    published: true,
    notebooks: [],
    files: [],
    updatedAt: '2026-11-01T09:00:00.000Z',
    ...overrides,
  };
}

export function questionGroup(overrides: Partial<QuestionGroup> = {}): QuestionGroup {
  const asked = (text: string, askedAt = '2026-11-24T10:00:00.000Z') => ({
    text,
    askedAt,
    moduleId: '7f0c5a57-3c4c-4f0e-9d0e-3f3b7b0a1a11',
    moduleTitle: 'Loops week',
  });
  return {
    id: '00000000-0000-4000-8000-0000000000a1',
    size: 4,
    students: 3,
    representative: asked('How do I write a for loop?'),
    examples: [asked('how to write a for loop'), asked('What is a for loop?')],
    keywords: ['loop', 'write'],
    modules: [{ id: '7f0c5a57-3c4c-4f0e-9d0e-3f3b7b0a1a11', title: 'Loops week', questions: 3 }],
    lastAskedAt: '2026-11-24T10:00:00.000Z',
    ...overrides,
  };
}

export function questionInsights(
  overrides: Partial<QuestionInsightsResponse> = {},
): QuestionInsightsResponse {
  return {
    from: '2026-10-25T12:00:00.000Z',
    to: '2026-11-24T12:00:00.000Z',
    module: null,
    method: 'embeddings',
    fallback: null,
    embeddingModel: 'embed-v4.0',
    questionsInRange: 10,
    questionsConsidered: 10,
    maxQuestions: 1000,
    questionsGrouped: 6,
    groups: [
      questionGroup(),
      questionGroup({
        id: '00000000-0000-4000-8000-0000000000a2',
        size: 2,
        students: 1,
        representative: {
          text: 'How do I read a CSV file?',
          askedAt: '2026-11-23T10:00:00.000Z',
          moduleId: null,
          moduleTitle: null,
        },
        examples: [],
        keywords: ['csv'],
        modules: [],
      }),
    ],
    ...overrides,
  };
}
