import { AppError } from '../../lib/app-error.js';

/**
 * Sending mail was asked for but SMTP is not set up. It lives with the mailer because both auth
 * (links) and roster (invitations) refuse with it; the code keeps its original `auth.` prefix,
 * which the SPA and API clients already match.
 */
export const mailNotConfigured = () =>
  new AppError(
    503,
    'auth.mail_not_configured',
    'This Hintbook cannot send email. Ask your teacher for a password reset link.',
  );
