import { AppError } from '../../lib/app-error.js';

// The `chat.*` and `admin.*` codes are kept from where these used to live: clients match on them.
export const chatRateLimited = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'chat.rate_limited',
    `You are sending messages very quickly. Try again in ${retryAfterSeconds} seconds.`,
    undefined,
    { 'Retry-After': String(retryAfterSeconds) },
  );

export const allowanceExhausted = (window: 'day' | 'week', resetsAt: Date) =>
  new AppError(
    429,
    'chat.allowance_exhausted',
    `You have used your tutor allowance for this ${window}. It renews ${resetsAt.toUTCString()}.`,
  );

export const budgetExhausted = () =>
  new AppError(
    503,
    'chat.budget_exhausted',
    'The tutor is paused for everyone until next month because this school’s AI budget is used up. Your teacher knows.',
  );

export const providerErrorNotFound = () =>
  new AppError(404, 'admin.provider_error_not_found', 'No such provider error');
