/**
 * What an operator does from a shell about admins (`npm run admin`, `scripts/admin.sh`): see who
 * is listed and whether they are admin yet, vouch for a listed account, take that back, or
 * create a listed admin's account where registration is closed. The shell is trusted because it
 * already holds the database password; each action is still written to the audit log.
 */
import { randomBytes } from 'node:crypto';
import { usernameSchema } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { Clock } from '../../lib/clock.js';
import { recordAudit, type ShellActor } from '../audit/audit.service.js';
import type { PasswordHasher } from '../../lib/password-hasher.js';
import { shouldBeAdmin } from './admin-rights.js';
import {
  clearEmailVerification,
  createUser,
  findUserByEmail,
  findUserIdByUsername,
  findUsersByEmails,
  markEmailVerified,
  setAdminFlag,
  type UserRow,
} from './users.repository.js';

export interface OperatorDeps {
  db: Db;
  adminEmails: readonly string[];
  clock: Clock;
}

/** Audit entries from the shell have no account behind them. */
const OPERATOR: ShellActor = { id: null, email: 'operator (shell)' };

/** A problem the operator can fix; the CLI prints the message and exits 1. */
export class OperatorError extends Error {}

export interface ListedAdmin {
  email: string;
  state: 'admin' | 'unverified' | 'not_registered' | 'disabled';
  verifiedVia: string | null;
  lastLoginAt: Date | null;
}

export async function listAdmins(deps: OperatorDeps): Promise<ListedAdmin[]> {
  const accounts = await findUsersByEmails(deps.db, [...deps.adminEmails]);
  const byEmail = new Map(accounts.map((user) => [user.email.toLowerCase(), user]));
  return deps.adminEmails.map((email) => {
    const user = byEmail.get(email);
    if (!user) return { email, state: 'not_registered', verifiedVia: null, lastLoginAt: null };
    return {
      email,
      state: user.disabledAt ? 'disabled' : user.emailVerifiedAt ? 'admin' : 'unverified',
      verifiedVia: user.emailVerifiedVia,
      lastLoginAt: user.lastLoginAt,
    };
  });
}

/** The operator vouches that the account with this listed address is its owner's. */
export async function promoteAdmin(deps: OperatorDeps, rawEmail: string): Promise<UserRow> {
  const email = assertListed(deps, rawEmail);
  const user = await findUserByEmail(deps.db, email);
  if (!user) {
    throw new OperatorError(
      `No account uses ${email} yet. Let its owner register first, or create it here with ` +
        `\`create ${email} USERNAME\`.`,
    );
  }
  const now = deps.clock();
  await withTransaction(deps.db, async (db) => {
    await markEmailVerified(db, user.id, 'operator', now);
    await setAdminFlag(db, user.id, true);
    await recordAudit(db, OPERATOR, auditEvent('admin.promote', user), now);
  });
  return (await findUserByEmail(deps.db, email))!;
}

/**
 * Takes a verification back, e.g. when someone other than the listed person registered the
 * address: the account stops being admin at once and stays a plain account.
 */
export async function revokeAdmin(deps: OperatorDeps, rawEmail: string): Promise<void> {
  const email = rawEmail.trim().toLowerCase();
  const user = await findUserByEmail(deps.db, email);
  if (!user) throw new OperatorError(`No account uses ${email}.`);
  const now = deps.clock();
  await withTransaction(deps.db, async (db) => {
    await clearEmailVerification(db, user.id, now);
    await recordAudit(db, OPERATOR, auditEvent('admin.revoke', user), now);
  });
}

/**
 * Creates a listed admin's account, verified, with a random password shown once (to change in
 * the profile): the way in when REGISTRATION_MODE keeps that address from registering.
 */
export async function createAdmin(
  deps: OperatorDeps & { passwords: PasswordHasher },
  rawEmail: string,
  username: string,
): Promise<{ user: UserRow; password: string }> {
  const email = assertListed(deps, rawEmail);
  if (await findUserByEmail(deps.db, email)) {
    throw new OperatorError(`${email} already has an account: use \`promote ${email}\`.`);
  }
  const checked = usernameSchema.safeParse(username);
  if (!checked.success) {
    throw new OperatorError(
      `Username ${username}: ${checked.error.issues[0]?.message ?? 'invalid'}.`,
    );
  }
  if (await findUserIdByUsername(deps.db, username)) {
    throw new OperatorError(`The username ${username} is taken.`);
  }
  const password = randomBytes(18).toString('base64url');
  const passwordHash = await deps.passwords.hash(password);
  const now = deps.clock();
  const user = await withTransaction(deps.db, async (db) => {
    const created = await createUser(db, {
      email,
      username,
      passwordHash,
      isAdmin: false,
      programmingLevel: 3,
      mathsLevel: 3,
    });
    await markEmailVerified(db, created.id, 'operator', now);
    await setAdminFlag(
      db,
      created.id,
      shouldBeAdmin({ ...created, emailVerifiedAt: now }, deps.adminEmails),
    );
    await recordAudit(db, OPERATOR, auditEvent('admin.create', created), now);
    return created;
  });
  return { user: (await findUserByEmail(deps.db, user.email))!, password };
}

function assertListed(deps: OperatorDeps, rawEmail: string): string {
  const email = rawEmail.trim().toLowerCase();
  if (!deps.adminEmails.includes(email)) {
    throw new OperatorError(
      `${email} is not in ADMIN_EMAIL, and admins are exactly the listed accounts. Add it to ` +
        'ADMIN_EMAIL in .env, restart the backend, then run this again.',
    );
  }
  return email;
}

function auditEvent(action: string, user: UserRow) {
  return { action, targetType: 'user', targetId: user.id, details: { email: user.email } };
}
