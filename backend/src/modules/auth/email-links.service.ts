/**
 * Links that prove something by email: "this address is mine" (verification) and "let me choose
 * a new password" (reset). Tokens are random, stored hashed, single-use and short-lived; only the
 * newest link of a kind works. A reset link an admin hands over works the same but proves nothing
 * about the mailbox, so it never verifies the address.
 */
import { withTransaction } from '../../db/transaction.js';
import { shouldBeAdmin } from '../users/admin-rights.js';
import {
  bumpTokenVersion,
  clearExpiredLock,
  findUserByEmail,
  findUserById,
  markEmailVerified,
  setAdminFlag,
  updateUser,
  type UserRow,
} from '../users/users.service.js';
import { describeDuration, passwordResetMail, verificationMail } from '../mail/mail.templates.js';
import { sendInBackground } from '../mail/mailer.js';
import { alreadyVerified, linkInvalid, weakPassword } from './auth.errors.js';
import { mailNotConfigured } from '../mail/mail.errors.js';
import type { AuthDeps } from './auth.types.js';
import {
  countEmailTokensSince,
  createEmailToken,
  findEmailTokenByHash,
  markEmailTokenUsed,
  retireEmailTokens,
  type EmailTokenPurpose,
} from './email-tokens.repository.js';
import { findPasswordProblems } from './passwords.js';
import { revokeUserRefreshTokens } from './refresh-tokens.repository.js';
import { generateSecretToken, hashSecretToken } from '../../lib/secret-tokens.js';

type LinkDeps = Pick<AuthDeps, 'db' | 'clock' | 'mail'>;

/** Per account and hour; more requests are answered the same but send nothing. */
const MAILS_PER_HOUR = 3;
const HOUR_MS = 3_600_000;

/** Mails a verification link, unless the address is verified already. */
export async function sendVerificationEmail(deps: AuthDeps, user: UserRow): Promise<void> {
  if (user.emailVerifiedAt) throw alreadyVerified();
  if (!deps.mailer.isConfigured) throw mailNotConfigured();
  if (await isThrottled(deps, user.id, 'verify_email')) return;
  const { url } = await issueLink(deps, user, 'verify_email', 'email');
  const validFor = describeDuration(deps.mail.verificationTtlSeconds);
  const message = verificationMail({ to: user.email, username: user.username, url, validFor });
  sendInBackground(deps.mailer, deps.logger, message, 'verify_email');
}

/** After registration: a link when mail is set up; nothing (and no error) when it is not. */
export async function offerVerificationEmail(deps: AuthDeps, user: UserRow): Promise<void> {
  if (deps.mailer.isConfigured && !user.emailVerifiedAt) await sendVerificationEmail(deps, user);
}

/** Marks the address verified; a listed ADMIN_EMAIL account becomes admin at once. */
export async function verifyEmail(deps: AuthDeps, token: string): Promise<UserRow> {
  const now = deps.clock();
  const { stored, user } = await findUsableToken(deps, token, 'verify_email');
  await withTransaction(deps.db, async (db) => {
    if (!(await markEmailTokenUsed(db, stored.id, now))) throw linkInvalid();
    await markEmailVerified(db, user.id, 'email', now);
    await setAdminFlag(
      db,
      user.id,
      shouldBeAdmin({ ...user, emailVerifiedAt: now }, deps.settings.adminEmails),
    );
  });
  return (await findUserById(deps.db, user.id))!;
}

/**
 * Mails a reset link. The answer is the same whether or not the address has an account, and
 * the mail leaves in the background so the timing does not tell either.
 */
export async function requestPasswordReset(deps: AuthDeps, email: string): Promise<void> {
  if (!deps.mailer.isConfigured) throw mailNotConfigured();
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.disabledAt) return;
  if (await isThrottled(deps, user.id, 'reset_password')) return;
  const { url } = await issueLink(deps, user, 'reset_password', 'email');
  const validFor = describeDuration(deps.mail.passwordResetTtlSeconds);
  const message = passwordResetMail({ to: user.email, username: user.username, url, validFor });
  sendInBackground(deps.mailer, deps.logger, message, 'reset_password');
}

/** For an admin to hand over when mail is not set up (or does not arrive). */
export async function issuePasswordResetLink(
  deps: LinkDeps,
  user: UserRow,
): Promise<{ url: string; expiresAt: Date }> {
  return issueLink(deps, user, 'reset_password', 'admin');
}

/**
 * Sets the new password and ends every sign-in of the account (a reset is what someone does who
 * fears another person has it). A mailed link also proves the mailbox, so it verifies the address.
 */
export async function resetPassword(
  deps: AuthDeps,
  token: string,
  newPassword: string,
): Promise<UserRow> {
  const { stored, user } = await findUsableToken(deps, token, 'reset_password');
  const problems = findPasswordProblems(newPassword, user.email);
  if (problems.length > 0) throw weakPassword(problems, 'password');
  const passwordHash = await deps.passwords.hash(newPassword);
  const now = deps.clock();
  await withTransaction(deps.db, async (db) => {
    if (!(await markEmailTokenUsed(db, stored.id, now))) throw linkInvalid();
    await updateUser(db, user.id, { passwordHash }, now);
    await clearExpiredLock(db, user.id);
    await revokeUserRefreshTokens(db, user.id, now);
    await bumpTokenVersion(db, user.id);
    if (stored.deliveredBy === 'email') {
      await markEmailVerified(db, user.id, 'email', now);
      const verified = { ...user, emailVerifiedAt: user.emailVerifiedAt ?? now };
      await setAdminFlag(db, user.id, shouldBeAdmin(verified, deps.settings.adminEmails));
    }
  });
  return (await findUserById(deps.db, user.id))!;
}

async function issueLink(
  deps: LinkDeps,
  user: UserRow,
  purpose: EmailTokenPurpose,
  deliveredBy: 'email' | 'admin',
): Promise<{ url: string; expiresAt: Date }> {
  const now = deps.clock();
  const ttlSeconds =
    purpose === 'reset_password'
      ? deps.mail.passwordResetTtlSeconds
      : deps.mail.verificationTtlSeconds;
  const token = generateSecretToken();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await withTransaction(deps.db, async (db) => {
    await retireEmailTokens(db, user.id, purpose, now);
    await createEmailToken(db, {
      userId: user.id,
      purpose,
      email: user.email,
      deliveredBy,
      tokenHash: hashSecretToken(token),
      expiresAt,
      createdAt: now,
    });
  });
  const page = purpose === 'reset_password' ? 'reset-password' : 'verify-email';
  // The token rides in the fragment: it never reaches a server log or a Referer header.
  return { url: `${deps.mail.publicUrl}/${page}#token=${token}`, expiresAt };
}

async function findUsableToken(deps: AuthDeps, token: string, purpose: EmailTokenPurpose) {
  const stored = await findEmailTokenByHash(deps.db, hashSecretToken(token));
  if (!stored || stored.purpose !== purpose || stored.usedAt || stored.expiresAt <= deps.clock()) {
    throw linkInvalid();
  }
  const user = await findUserById(deps.db, stored.userId);
  // A link for an address the account no longer has proves nothing about the current one.
  if (!user || user.disabledAt || user.email.toLowerCase() !== stored.email.toLowerCase()) {
    throw linkInvalid();
  }
  return { stored, user };
}

async function isThrottled(deps: AuthDeps, userId: string, purpose: EmailTokenPurpose) {
  const since = new Date(deps.clock().getTime() - HOUR_MS);
  const sent = await countEmailTokensSince(deps.db, userId, purpose, since);
  if (sent >= MAILS_PER_HOUR) deps.logger.warn({ userId, purpose }, 'mail throttled');
  return sent >= MAILS_PER_HOUR;
}
