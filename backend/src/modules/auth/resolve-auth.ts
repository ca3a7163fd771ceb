import type { Db } from '../../db/client.js';
import { unauthenticated } from '../../lib/app-error.js';
import { findUserById, type UserRow } from '../users/users.service.js';
import { accountDisabled } from './auth.errors.js';
import type { AccessTokens } from './tokens.js';

/** Who is calling, once their access token checked out. */
export interface AuthContext {
  user: UserRow;
  sessionId: string;
}

/**
 * Verifies the access token, then loads the user: the row is the truth for disabled accounts,
 * admin rights and revoked token versions, so a demotion or logout-all applies at once.
 * Shared by the HTTP middleware and the socket handshake.
 */
export async function resolveAuth(db: Db, accessTokens: AccessTokens, token: string | undefined) {
  if (!token) throw unauthenticated();
  const claims = accessTokens.verify(token);
  const user = await findUserById(db, claims.userId);
  if (!user || user.tokenVersion !== claims.tokenVersion) {
    throw unauthenticated('Your session ended; sign in again');
  }
  if (user.disabledAt) throw accountDisabled();
  return { user, sessionId: claims.sessionId } satisfies AuthContext;
}
