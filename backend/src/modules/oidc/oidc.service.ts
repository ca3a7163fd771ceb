/**
 * Signing in with a school account (OpenID Connect). The provider's verified email links the
 * account the first time; its subject finds it after that. A new address gets an account when
 * REGISTRATION_MODE would let it register, or when it has an open invitation. The sign-in
 * verifies the address, so a listed ADMIN_EMAIL account becomes admin here too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import { assertRegistrationAllowed, startSession, type SignedIn } from '../auth/auth.service.js';
import type { AuthDeps, RequestMeta } from '../auth/auth.types.js';
import { acceptInvitation, findInvitationByEmail } from '../roster/roster.service.js';
import { shouldBeAdmin } from '../users/admin-rights.js';
import {
  createUser,
  findUserByEmail,
  findUserById,
  findUserIdByUsername,
  markEmailVerified,
  recordLoginSuccess,
  type UserRow,
} from '../users/users.service.js';
import type { OidcClaims, OidcProviderConfig } from './oidc-client.js';
import { SsoError } from './oidc.errors.js';
import {
  findUserIdBySubject,
  linkIdentity,
  listIdentitiesForUser,
} from './oidc-identities.repository.js';

export async function signInWithOidc(
  deps: AuthDeps,
  provider: OidcProviderConfig,
  claims: OidcClaims,
  meta: RequestMeta,
): Promise<SignedIn> {
  if (!claims.email) throw new SsoError('sso.no_email');
  if (!claims.emailVerified) throw new SsoError('sso.email_unverified');
  const email = claims.email;
  const domain = email.split('@')[1] ?? '';
  if (provider.allowedDomains.length > 0 && !provider.allowedDomains.includes(domain)) {
    throw new SsoError('sso.domain_not_allowed');
  }
  const now = deps.clock();
  const linkedId = await findUserIdBySubject(deps.db, provider.id, claims.subject);
  const existing = linkedId
    ? await findUserById(deps.db, linkedId)
    : await findUserByEmail(deps.db, email);
  const user = existing ?? (await createFromClaims(deps, email, claims.name));
  if (user.disabledAt) throw new SsoError('sso.account_disabled');

  // The provider vouches for the address it sent; an account found by subject may have changed
  // its address since, and then nothing new is proven about the current one.
  const provesEmail = user.email.toLowerCase() === email;
  const emailVerifiedAt = user.emailVerifiedAt ?? (provesEmail ? now : null);
  const isAdmin = shouldBeAdmin({ email: user.email, emailVerifiedAt }, deps.settings.adminEmails);
  await withTransaction(deps.db, async (db) => {
    if (provesEmail && !user.emailVerifiedAt) await markEmailVerified(db, user.id, 'oidc', now);
    await linkIdentity(db, {
      userId: user.id,
      provider: provider.id,
      subject: claims.subject,
      createdAt: now,
    });
    await recordLoginSuccess(db, user.id, now, isAdmin);
  });
  const fresh = { ...user, emailVerifiedAt, isAdmin, lastLoginAt: now };
  return { user: fresh, session: await startSession(deps, fresh, randomUUID(), meta) };
}

async function createFromClaims(
  deps: AuthDeps,
  email: string,
  name: string | null,
): Promise<UserRow> {
  const now = deps.clock();
  const invitation = await findInvitationByEmail(deps.db, email, now);
  if (!invitation) {
    try {
      assertRegistrationAllowed(deps, email);
    } catch {
      throw new SsoError('sso.no_account');
    }
  }
  const username = await freeUsername(deps, email, name);
  // No password: the school signs them in. "Forgot your password?" can set one later.
  const passwordHash = await deps.passwords.hash(randomBytes(32).toString('base64url'));
  return withTransaction(deps.db, async (db) => {
    const created = await createUser(db, {
      email,
      username,
      passwordHash,
      isAdmin: false,
      programmingLevel: 2,
      mathsLevel: 2,
    });
    if (invitation) await acceptInvitation(db, invitation, created.id, now);
    return created;
  });
}

/** A username from the address (or name), made unique with a number when taken. */
export async function freeUsername(
  deps: Pick<AuthDeps, 'db'>,
  email: string,
  name: string | null,
): Promise<string> {
  const base = suggestUsername(email, name);
  if (!(await findUserIdByUsername(deps.db, base))) return base;
  for (let n = 2; n < 1000; n += 1) {
    const candidate = `${base.slice(0, 28)}${n}`;
    if (!(await findUserIdByUsername(deps.db, candidate))) return candidate;
  }
  return `user_${randomBytes(6).toString('hex')}`;
}

/** Letters, digits, dot, dash and underscore, 3–32 characters, as usernames allow. */
export function suggestUsername(email: string, name: string | null): string {
  const fromEmail = (email.split('@')[0] ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '');
  const fromName = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  const fallback = fromEmail ? `user_${fromEmail}` : 'student';
  const base = fromEmail.length >= 3 ? fromEmail : fromName.length >= 3 ? fromName : fallback;
  return base.slice(0, 32).padEnd(3, '0');
}

/** The school sign-ins section of a student's data export. */
export function exportUserData(db: Db, userId: string) {
  return listIdentitiesForUser(db, userId);
}
