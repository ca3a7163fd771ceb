import { randomUUID } from 'node:crypto';
import type { LoginBody, RegisterBody } from '@hintbook/contracts';
import {
  accountDisabled,
  accountLocked,
  emailDomainNotAllowed,
  emailTaken,
  invalidCredentials,
  refreshInvalid,
  refreshRaceLost,
  refreshReused,
  registrationClosed,
  usernameTaken,
  weakPassword,
} from './auth.errors.js';
import type { Db } from '../../db/client.js';
import type { AuthDeps, IssuedSession, RequestMeta } from './auth.types.js';
import { findPasswordProblems } from './passwords.js';
import {
  createRefreshToken,
  findRefreshTokenByHash,
  listRefreshTokensForUser,
  markRefreshTokenRotated,
  revokeRefreshFamily,
  revokeUserRefreshTokens,
} from './refresh-tokens.repository.js';
import { generateRefreshToken, hashRefreshToken } from './tokens.js';
import {
  bumpTokenVersion,
  clearExpiredLock,
  createUser,
  findUserByEmail,
  findUserById,
  findUserIdByUsername,
  markEmailVerified,
  recordLoginFailure,
  setAdminFlag,
  recordLoginSuccess,
  type UserRow,
} from '../users/users.service.js';
import { withTransaction } from '../../db/transaction.js';
import { acceptInvitation, findInvitationFor } from '../roster/roster.service.js';
import { shouldBeAdmin } from '../users/admin-rights.js';
import { isUniqueViolation } from '../../db/errors.js';

/**
 * Two tabs refreshing with the same cookie at once is a race, not theft: a token rotated this
 * recently is refused without revoking its family.
 */
const ROTATION_GRACE_MS = 10_000;

export interface SignedIn {
  user: UserRow;
  session: IssuedSession;
}

type RegisterInput = Required<Pick<RegisterBody, 'programmingLevel' | 'mathsLevel'>> & RegisterBody;

export async function registerUser(
  deps: AuthDeps,
  body: RegisterInput,
  meta: RequestMeta,
): Promise<SignedIn> {
  const email = body.email.toLowerCase();
  // The teacher chose invited people, so an invitation for this address overrides the mode.
  const invitation = body.invitationToken
    ? await findInvitationFor(deps.db, body.invitationToken, email, deps.clock())
    : undefined;
  if (!invitation) assertRegistrationAllowed(deps, email);
  const problems = findPasswordProblems(body.password, email);
  if (problems.length > 0) throw weakPassword(problems);
  if (await findUserByEmail(deps.db, email)) throw emailTaken();
  if (await findUserIdByUsername(deps.db, body.username)) throw usernameTaken();

  const passwordHash = await deps.passwords.hash(body.password);
  let user: UserRow;
  try {
    user = await withTransaction(deps.db, async (db) => {
      const created = await createUser(db, {
        email,
        username: body.username,
        passwordHash,
        // Never admin at registration: nothing yet shows the address is theirs (admin-rights.ts).
        isAdmin: false,
        programmingLevel: body.programmingLevel,
        mathsLevel: body.mathsLevel,
      });
      if (!invitation) return created;
      const now = deps.clock();
      const { provesEmail } = await acceptInvitation(db, invitation, created.id, now);
      if (!provesEmail) return created;
      // The link reached this mailbox: the address is theirs (an invited admin is admin now).
      await markEmailVerified(db, created.id, 'email', now);
      const verified = { ...created, emailVerifiedAt: now, emailVerifiedVia: 'email' };
      const isAdmin = shouldBeAdmin(verified, deps.settings.adminEmails);
      if (isAdmin) await setAdminFlag(db, created.id, true);
      return { ...verified, isAdmin };
    });
  } catch (error) {
    // Lost a race with a concurrent registration of the same email or username.
    if (isUniqueViolation(error, 'users_email_lower_idx')) throw emailTaken();
    if (isUniqueViolation(error, 'users_username_lower_idx')) throw usernameTaken();
    throw error;
  }
  return { user, session: await startSession(deps, user, randomUUID(), meta) };
}

/**
 * Applies to everyone, listed admins included: a closed installation gets its first admin from
 * the operator's shell (`npm run admin -- create`), not from whoever registers first.
 */
export function assertRegistrationAllowed(deps: AuthDeps, email: string): void {
  const mode = deps.settings.registrationMode;
  if (mode === 'closed') throw registrationClosed();
  if (mode === 'domain') {
    const domain = email.split('@')[1] ?? '';
    if (!deps.settings.allowedEmailDomains.includes(domain)) {
      throw emailDomainNotAllowed(deps.settings.allowedEmailDomains);
    }
  }
}

export async function logIn(deps: AuthDeps, body: LoginBody, meta: RequestMeta): Promise<SignedIn> {
  const now = deps.clock();
  const user = await findUserByEmail(deps.db, body.email);
  if (!user) {
    await deps.passwords.verifyAgainstDummy(body.password);
    throw invalidCredentials();
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    throw accountLocked(Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000));
  }
  if (user.lockedUntil) await clearExpiredLock(deps.db, user.id);

  if (!(await deps.passwords.verify(body.password, user.passwordHash))) {
    const lockUntil = new Date(now.getTime() + deps.settings.loginLockoutSeconds * 1000);
    await recordLoginFailure(deps.db, user.id, deps.settings.loginMaxFailures, lockUntil);
    throw invalidCredentials();
  }
  // Only after the password is right, so a guesser learns nothing about disabled accounts.
  if (user.disabledAt) throw accountDisabled();

  const isAdmin = shouldBeAdmin(user, deps.settings.adminEmails);
  await recordLoginSuccess(deps.db, user.id, now, isAdmin);
  const fresh = { ...user, isAdmin, failedLoginCount: 0, lockedUntil: null, lastLoginAt: now };
  return { user: fresh, session: await startSession(deps, fresh, randomUUID(), meta) };
}

/** Spends a refresh token and hands out the next one in the same family. */
export async function refreshSession(
  deps: AuthDeps,
  refreshToken: string | undefined,
  meta: RequestMeta,
): Promise<SignedIn> {
  if (!refreshToken) throw refreshInvalid();
  const now = deps.clock();
  const stored = await findRefreshTokenByHash(deps.db, hashRefreshToken(refreshToken));
  if (!stored || stored.revokedAt || stored.expiresAt <= now) throw refreshInvalid();

  if (stored.rotatedAt) {
    if (now.getTime() - stored.rotatedAt.getTime() < ROTATION_GRACE_MS) throw refreshRaceLost();
    await revokeRefreshFamily(deps.db, stored.familyId, now);
    throw refreshReused();
  }
  const user = await findUserById(deps.db, stored.userId);
  if (!user || user.disabledAt) {
    await revokeRefreshFamily(deps.db, stored.familyId, now);
    throw user ? accountDisabled() : refreshInvalid();
  }
  if (!(await markRefreshTokenRotated(deps.db, stored.id, now))) throw refreshRaceLost();
  return { user, session: await startSession(deps, user, stored.familyId, meta) };
}

/** Ends the sign-in behind this cookie. Unknown or spent tokens are fine: the goal is reached. */
export async function logOut(deps: AuthDeps, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  const stored = await findRefreshTokenByHash(deps.db, hashRefreshToken(refreshToken));
  if (stored) await revokeRefreshFamily(deps.db, stored.familyId, deps.clock());
}

/** Ends every sign-in of the user, on every device, including access tokens already issued. */
export async function logOutEverywhere(deps: AuthDeps, userId: string): Promise<void> {
  await revokeUserRefreshTokens(deps.db, userId, deps.clock());
  await bumpTokenVersion(deps.db, userId);
}

/**
 * Ends every sign-in (refresh token) of the user, optionally sparing the family making the
 * request; inside the caller's transaction when handed one. Users' admin gets it from app.ts.
 */
export function revokeSignIns(
  db: Db,
  userId: string,
  now: Date,
  exceptFamilyId?: string,
): Promise<void> {
  return revokeUserRefreshTokens(db, userId, now, exceptFamilyId);
}

/** The sign-ins section of a student's data export (no token hashes). */
export function exportUserData(db: Db, userId: string) {
  return listRefreshTokensForUser(db, userId);
}

/** Issues a refresh token in `familyId` plus a matching access token. */
export async function startSession(
  deps: AuthDeps,
  user: Pick<UserRow, 'id' | 'tokenVersion'>,
  familyId: string,
  meta: RequestMeta,
): Promise<IssuedSession> {
  const now = deps.clock();
  const refreshToken = generateRefreshToken();
  const refreshTokenExpiresAt = new Date(
    now.getTime() + deps.settings.refreshTokenTtlSeconds * 1000,
  );
  await createRefreshToken(deps.db, {
    userId: user.id,
    familyId,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: refreshTokenExpiresAt,
    userAgent: meta.userAgent,
  });
  const access = deps.accessTokens.sign({
    userId: user.id,
    tokenVersion: user.tokenVersion,
    sessionId: familyId,
  });
  return {
    familyId,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt,
  };
}
