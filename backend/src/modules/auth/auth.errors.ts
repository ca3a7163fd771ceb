import { AppError } from '../../lib/app-error.js';

// One message for an unknown email and a wrong password, so sign-in does not reveal accounts.
export const invalidCredentials = () =>
  new AppError(401, 'auth.invalid_credentials', 'That email and password do not match an account');

export const accountLocked = (retryAfterSeconds: number) => {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(
    423,
    'auth.account_locked',
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    undefined,
    { 'Retry-After': String(retryAfterSeconds) },
  );
};

export const accountDisabled = () =>
  new AppError(403, 'auth.account_disabled', 'This account is disabled; ask your teacher');

export const emailTaken = () =>
  new AppError(409, 'auth.email_taken', 'An account with this email already exists', [
    { path: 'email', message: 'An account with this email already exists' },
  ]);

export const usernameTaken = () =>
  new AppError(409, 'auth.username_taken', 'This username is taken', [
    { path: 'username', message: 'This username is taken' },
  ]);

export const weakPassword = (problems: string[], path = 'password') =>
  new AppError(
    400,
    'auth.weak_password',
    problems[0] ?? 'Choose a stronger password',
    problems.map((message) => ({ path, message })),
  );

export const registrationClosed = () =>
  new AppError(
    403,
    'auth.registration_closed',
    'Registration is closed; ask your teacher for an account',
  );

export const emailDomainNotAllowed = (domains: string[]) =>
  new AppError(
    403,
    'auth.email_domain_not_allowed',
    `Register with your school email (${domains.map((domain) => `@${domain}`).join(', ')})`,
    [
      {
        path: 'email',
        message: `Use an address ending in ${domains.map((d) => `@${d}`).join(' or ')}`,
      },
    ],
  );

export const refreshInvalid = () =>
  new AppError(401, 'auth.refresh_invalid', 'Your session ended; sign in again');

/**
 * Another tab of the same browser rotated this cookie a moment ago. The cookie the browser holds
 * now is the new one, so the route must not clear it; the client simply retries.
 */
export const refreshRaceLost = () =>
  Object.assign(
    new AppError(
      401,
      'auth.refresh_invalid',
      'Your session was just refreshed in another tab; try again',
    ),
    { keepCookie: true },
  );

export const refreshReused = () =>
  new AppError(
    401,
    'auth.refresh_reused',
    'This session was used from somewhere else, so we signed it out everywhere to be safe. Sign in again.',
  );

export const refreshHeaderMissing = () =>
  new AppError(
    403,
    'auth.refresh_header_missing',
    'Refresh requests must come from the Hintbook app',
  );

export const wrongPassword = (path = 'currentPassword') =>
  new AppError(400, 'auth.wrong_password', 'That password is not correct', [
    { path, message: 'That password is not correct' },
  ]);

export const linkInvalid = () =>
  new AppError(
    400,
    'auth.link_invalid',
    'This link does not work any more: it was used already, it expired, or a newer one replaced it. Ask for a new one.',
  );

export const alreadyVerified = () =>
  new AppError(409, 'auth.already_verified', 'Your email address is confirmed already');

export const emailNotVerified = (email: string) =>
  new AppError(
    403,
    'auth.email_not_verified',
    `Confirm your email address first: open the link we sent to ${email}, or send a new one from your profile.`,
  );
