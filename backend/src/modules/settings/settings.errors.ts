import { AppError } from '../../lib/app-error.js';

export const invalidChain = (message: string) =>
  new AppError(400, 'settings.invalid_chain', message);

export const providerUnavailable = (name: string) =>
  new AppError(
    400,
    'settings.provider_unavailable',
    `${name} has no API key on this server; set it in .env first`,
  );

export const providerTestRateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'request.rate_limited', 'Too many provider tests; wait a minute', undefined, {
    'Retry-After': String(retryAfterSeconds),
  });
