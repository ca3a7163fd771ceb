import type { ErrorCode, ErrorDetail } from '@hintbook/contracts';

/**
 * A failure we expect and can explain to the caller. Services throw these through small named
 * factories (`invalidCredentials()`); the error middleware turns them into
 * `{ error: { code, message, details } }` with `status`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. Retry-After on a lockout. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (message = 'Not found') => new AppError(404, 'request.not_found', message);
export const unauthenticated = (message = 'Sign in to continue') =>
  new AppError(401, 'auth.unauthenticated', message);
export const tokenExpired = () =>
  new AppError(401, 'auth.token_expired', 'Your session expired; sign in again');
export const forbidden = (message = 'You do not have access to this') =>
  new AppError(403, 'auth.forbidden', message);
export const validationFailed = (details: ErrorDetail[]) =>
  new AppError(400, 'validation.failed', 'Some fields need attention', details);
