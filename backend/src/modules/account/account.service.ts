import type { ChangePasswordBody, UpdateProfileBody } from '@hintbook/contracts';
import { isUniqueViolation } from '../../db/errors.js';
import { withTransaction } from '../../db/transaction.js';
import { notFound } from '../../lib/app-error.js';
import { usernameTaken, weakPassword, wrongPassword } from '../auth/auth.errors.js';
import { exportUserData as exportSignIns, revokeSignIns } from '../auth/auth.service.js';
import type { AuthDeps, IssuedSession } from '../auth/auth.types.js';
import { findPasswordProblems } from '../auth/passwords.js';
import { exportUserData as exportChatData } from '../chat/user-data.service.js';
import { exportUserData as exportExerciseAttempts } from '../exercises/exercises.service.js';
import { exportUserData as exportNotebooks } from '../learning/user-data.service.js';
import { exportUserData as exportSchoolSignIns } from '../oidc/oidc.service.js';
import { listUserRedactionCounts } from '../privacy/redactions.service.js';
import { exportRosterData, forgetInvitations } from '../roster/roster.service.js';
import { exportUserData as exportUsage } from '../usage/usage.service.js';
import {
  bumpTokenVersion,
  deleteUserData,
  exportUserData as exportAccount,
  findUserIdByUsername,
  updateUser,
  type UserRow,
} from '../users/users.service.js';

// A student's account touches every domain: each publishes an `exportUserData` (and, where
// deletion needs more than the foreign-key cascade, a deletion step) and this file composes
// them, so no domain's tables are read from here.

export async function updateProfile(
  deps: AuthDeps,
  user: UserRow,
  patch: UpdateProfileBody,
): Promise<UserRow> {
  if (patch.username && patch.username.toLowerCase() !== user.username.toLowerCase()) {
    const owner = await findUserIdByUsername(deps.db, patch.username);
    if (owner && owner !== user.id) throw usernameTaken();
  }
  try {
    const updated = await updateUser(deps.db, user.id, patch, deps.clock());
    if (!updated) throw notFound('Account not found');
    return updated;
  } catch (error) {
    if (isUniqueViolation(error, 'users_username_lower_idx')) throw usernameTaken();
    throw error;
  }
}

/**
 * Changes the password and ends every other sign-in. The current one continues with a fresh
 * access token, because bumping the token version invalidated the old one.
 */
export async function changePassword(
  deps: AuthDeps,
  user: UserRow,
  sessionId: string,
  body: ChangePasswordBody,
): Promise<{ user: UserRow; session: IssuedSession }> {
  if (!(await deps.passwords.verify(body.currentPassword, user.passwordHash)))
    throw wrongPassword();
  const problems = findPasswordProblems(body.newPassword, user.email);
  if (body.newPassword === body.currentPassword)
    problems.push('Choose a password different from the current one');
  if (problems.length > 0) throw weakPassword(problems, 'newPassword');

  const now = deps.clock();
  const passwordHash = await deps.passwords.hash(body.newPassword);
  await updateUser(deps.db, user.id, { passwordHash }, now);
  await revokeSignIns(deps.db, user.id, now, sessionId);
  const tokenVersion = await bumpTokenVersion(deps.db, user.id);
  const access = deps.accessTokens.sign({ userId: user.id, tokenVersion, sessionId });
  return {
    user: { ...user, passwordHash, tokenVersion },
    session: {
      familyId: sessionId,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
    },
  };
}

/**
 * Everything Hintbook holds about the user, as one JSON document. Each domain that stores
 * personal data adds its section here.
 */
export async function exportAccountData(deps: AuthDeps, userId: string) {
  const account = await exportAccount(deps.db, userId);
  if (!account) throw notFound('Account not found');
  const exportedAt = deps.clock().toISOString();
  const signIns = await exportSignIns(deps.db, userId);
  const chat = await exportChatData(deps.db, userId);
  return {
    format: 'hintbook-export',
    version: 1,
    exportedAt,
    account,
    signIns,
    conversations: chat.conversations,
    tutorLevels: chat.tutorLevels,
    usage: await exportUsage(deps.db, userId),
    /** Answers the answer guard held back (counts and reasons; the text was never kept). */
    guardTrips: chat.guardTrips,
    /** How many values of each kind were replaced before your text reached an AI provider. */
    redactions: await listUserRedactionCounts(deps.db, userId),
    /** Every check of an exercise you ran: outcome, failing test, time (your code as a hash). */
    exerciseAttempts: await exportExerciseAttempts(deps.db, userId),
    /** Your class groups and the invitations sent to your address. */
    classes: await exportRosterData(deps.db, { id: userId, email: account.email }),
    schoolSignIns: await exportSchoolSignIns(deps.db, userId),
    notebooks: await exportNotebooks(deps.db, userId),
  };
}

/**
 * Deletes the account; foreign keys cascade to everything the user owns. The usage ledger and
 * redaction counts hold no text and stay, no longer linked to anyone.
 */
export async function deleteAccount(
  deps: AuthDeps,
  user: UserRow,
  password: string,
): Promise<void> {
  if (!(await deps.passwords.verify(password, user.passwordHash))) throw wrongPassword('password');
  // One transaction: the invitations go with the account or neither does.
  await withTransaction(deps.db, async (tx) => {
    await forgetInvitations(tx, user);
    await deleteUserData(tx, user.id);
  });
}
