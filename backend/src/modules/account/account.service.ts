import type { ChangePasswordBody, UpdateProfileBody } from '@hintbook/contracts';
import { toPublicUser } from '../users/users.mapper.js';
import {
  bumpTokenVersion,
  deleteUser,
  findUserById,
  findUserIdByUsername,
  updateUser,
  type UserRow,
} from '../users/users.repository.js';
import { usernameTaken, weakPassword, wrongPassword } from '../auth/auth.errors.js';
import type { AuthDeps, IssuedSession } from '../auth/auth.types.js';
import { findPasswordProblems } from '../auth/passwords.js';
import {
  listRefreshTokensForUser,
  revokeUserRefreshTokens,
} from '../auth/refresh-tokens.repository.js';
import { isUniqueViolation } from '../../db/errors.js';
import { notFound } from '../../lib/app-error.js';
import { listGuardTripsForUser } from '../chat/guard-trips.repository.js';
import { listMessagesForUser } from '../chat/messages.repository.js';
import { listUserRedactionCounts } from '../privacy/redactions.service.js';
import { findUserPedagogy } from '../chat/pedagogy.repository.js';
import { listSessions } from '../chat/sessions.repository.js';
import { listUsageForUser } from '../usage/usage.repository.js';
import { listCopiesForUser } from '../learning/copies.repository.js';
import { listPersonalNotebooksWithContent } from '../learning/personal-notebooks.repository.js';
import { withTransaction } from '../../db/transaction.js';
import { listAttemptsForUser } from '../exercises/exercises.repository.js';
import { listIdentitiesForUser } from '../oidc/oidc-identities.repository.js';
import { exportRosterData, forgetInvitations } from '../roster/roster.service.js';

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
  await revokeUserRefreshTokens(deps.db, user.id, now, sessionId);
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
  const user = await findUserById(deps.db, userId);
  if (!user) throw notFound('Account not found');
  return {
    format: 'hintbook-export',
    version: 1,
    exportedAt: deps.clock().toISOString(),
    account: {
      ...toPublicUser(user),
      updatedAt: user.updatedAt.toISOString(),
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    },
    signIns: await listRefreshTokensForUser(deps.db, userId),
    conversations: await exportConversations(deps, userId),
    tutorLevels: (await findUserPedagogy(deps.db, userId)) ?? null,
    usage: await listUsageForUser(deps.db, userId),
    /** Answers the answer guard held back (counts and reasons; the text was never kept). */
    guardTrips: await listGuardTripsForUser(deps.db, userId),
    /** How many values of each kind were replaced before your text reached an AI provider. */
    redactions: await listUserRedactionCounts(deps.db, userId),
    /** Every check of an exercise you ran: outcome, failing test, time (your code as a hash). */
    exerciseAttempts: await listAttemptsForUser(deps.db, userId),
    /** Your class groups and the invitations sent to your address. */
    classes: await exportRosterData(deps.db, user),
    schoolSignIns: await listIdentitiesForUser(deps.db, userId),
    notebooks: {
      moduleCopies: await listCopiesForUser(deps.db, userId),
      personal: await listPersonalNotebooksWithContent(deps.db, userId),
    },
  };
}

async function exportConversations(deps: AuthDeps, userId: string) {
  const [sessions, allMessages] = await Promise.all([
    listSessions(deps.db, userId, { limit: 100_000 }),
    listMessagesForUser(deps.db, userId),
  ]);
  return sessions.map((session) => ({
    id: session.id,
    title: session.title,
    scope: session.scope,
    createdAt: session.createdAt.toISOString(),
    summary: session.summary,
    messages: allMessages
      .filter((message) => message.sessionId === session.id)
      .map(({ sessionId: _sessionId, ...message }) => message),
  }));
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
  await withTransaction(deps.db, async (db) => {
    await forgetInvitations(db, user);
    await deleteUser(db, user.id);
  });
}
