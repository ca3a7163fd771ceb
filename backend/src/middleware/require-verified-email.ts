import type { RequestHandler } from 'express';
import type { Config } from '../config/env.js';
import { emailNotVerified } from '../modules/auth/auth.errors.js';
import type { UserRow } from '../modules/users/users.repository.js';
import { requireAuth } from './authenticate.js';

type VerificationMode = Config['mail']['verification'];

/**
 * With EMAIL_VERIFICATION=everyone, an account whose address is not confirmed can sign in, see
 * its profile and ask for a link, and nothing else. Shared by HTTP and the socket handshake.
 */
export function assertEmailVerifiedIfRequired(
  user: Pick<UserRow, 'email' | 'emailVerifiedAt'>,
  mode: VerificationMode,
): void {
  if (mode === 'everyone' && !user.emailVerifiedAt) throw emailNotVerified(user.email);
}

/** For routes mounted after `authenticate`. */
export function requireVerifiedEmail(mode: VerificationMode): RequestHandler {
  return (req, _res, next) => {
    assertEmailVerifiedIfRequired(requireAuth(req).user, mode);
    next();
  };
}
