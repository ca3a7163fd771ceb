import type {
  AdminUserDetailResponse,
  AdminUserSummary,
  ListAdminUsersResponse,
  SetUserAllowanceBody,
} from '@hintbook/contracts';
import type { z } from 'zod';
import type { listAdminUsersQuerySchema } from '@hintbook/contracts';
import { withTransaction } from '../../db/transaction.js';
import { recordAudit, type AuditActor } from '../audit/audit.service.js';
import { exerciseProgressOf } from '../exercises/exercise-progress.js';
import { limitsForUser, saveUserAllowance, windowStarts } from '../usage/quota.service.js';
import { deleteUserData, findUserById } from './users.service.js';
import { adminUserNotFound, cannotChangeSelf } from './users.errors.js';
import type { UserAdminDeps } from './users.types.js';
import {
  countUsers,
  findUserProgress,
  findUserSummaries,
  findUserSummary,
  setUserDisabled,
  sumUserUsageSince,
  type UserSummaryRow,
} from './user-admin.repository.js';

type ListQuery = z.output<typeof listAdminUsersQuerySchema>;

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

function toSummary(row: UserSummaryRow): AdminUserSummary {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    isAdmin: row.isAdmin,
    disabledAt: iso(row.disabledAt),
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: iso(row.lastLoginAt),
    lastActiveAt: iso(row.lastActiveAt),
    tokensThisMonth: Number(row.tokensThisMonth),
    costThisMonthUsd: Number(row.costThisMonthUsd),
    notebooksStarted: Number(row.notebooksStarted),
    notebooksCompleted: Number(row.notebooksCompleted),
    allowance: { dailyTokens: row.allowanceDaily, weeklyTokens: row.allowanceWeekly },
  };
}

export async function listUsers(
  deps: UserAdminDeps,
  query: ListQuery,
): Promise<ListAdminUsersResponse> {
  const filter = {
    ...query,
    activeSince: query.activeSince ? new Date(query.activeSince) : undefined,
    monthStart: windowStarts(deps.clock()).month,
  };
  const [rows, total] = await Promise.all([
    findUserSummaries(deps.db, filter),
    countUsers(deps.db, filter),
  ]);
  return { users: rows.map(toSummary), total };
}

async function requireSummary(deps: UserAdminDeps, userId: string) {
  const row = await findUserSummary(deps.db, userId, windowStarts(deps.clock()).month);
  if (!row) throw adminUserNotFound();
  return toSummary(row);
}

export async function getUserDetail(
  deps: UserAdminDeps,
  userId: string,
): Promise<AdminUserDetailResponse> {
  const user = await requireSummary(deps, userId);
  const windows = windowStarts(deps.clock());
  const [day, week, month, progress, limits] = await Promise.all([
    sumUserUsageSince(deps.db, userId, windows.day),
    sumUserUsageSince(deps.db, userId, windows.week),
    sumUserUsageSince(deps.db, userId, windows.month),
    findUserProgress(deps.db, userId),
    limitsForUser({ db: deps.db, limits: deps.limits, clock: deps.clock }, userId),
  ]);
  const exercises = await exerciseProgressOf(
    deps.db,
    userId,
    progress.map((row) => row.notebookId),
  );
  return {
    user,
    usage: {
      day: { ...day, limitTokens: limits.dailyTokens || null },
      week: { ...week, limitTokens: limits.weeklyTokens || null },
      month: { ...month, limitTokens: null },
    },
    progress: progress.map((row) => ({
      moduleId: row.moduleId,
      moduleTitle: row.moduleTitle,
      notebookId: row.notebookId,
      notebookTitle: row.notebookTitle,
      status: row.status,
      updatedAt: row.updatedAt.toISOString(),
      originalUpdated: row.originalVersion > row.sourceVersion,
      exercises: exercises.get(row.notebookId) ?? { total: 0, passed: 0 },
    })),
    canReadTranscripts: deps.canReadTranscripts,
  };
}

/**
 * Disables or re-enables an account. Disabling ends everything at once: access tokens (token
 * version), refresh tokens, and open sockets; sign-in then answers `auth.account_disabled`.
 */
export async function setAccountDisabled(
  deps: UserAdminDeps,
  actor: AuditActor,
  userId: string,
  disabled: boolean,
): Promise<AdminUserSummary> {
  if (userId === actor.id) throw cannotChangeSelf();
  const now = deps.clock();
  await withTransaction(deps.db, async (tx) => {
    if (!(await setUserDisabled(tx, userId, disabled ? now : null, now))) throw adminUserNotFound();
    if (disabled) await deps.signIns.revokeAll(tx, userId, now);
    await recordAudit(
      tx,
      actor,
      { action: disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: userId },
      now,
    );
  });
  if (disabled) deps.disconnectUser(userId);
  return requireSummary(deps, userId);
}

export async function setUserAllowance(
  deps: UserAdminDeps,
  actor: AuditActor,
  userId: string,
  body: SetUserAllowanceBody,
): Promise<AdminUserSummary> {
  if (!(await findUserById(deps.db, userId))) throw adminUserNotFound();
  const now = deps.clock();
  await withTransaction(deps.db, async (tx) => {
    await saveUserAllowance(tx, userId, body, now);
    await recordAudit(
      tx,
      actor,
      { action: 'user.set_allowance', targetType: 'user', targetId: userId, details: { ...body } },
      now,
    );
  });
  return requireSummary(deps, userId);
}

/** Deletes the account and everything it owns (foreign keys cascade); usage rows are anonymised. */
export async function deleteUserAccount(
  deps: UserAdminDeps,
  actor: AuditActor,
  userId: string,
): Promise<void> {
  if (userId === actor.id) throw cannotChangeSelf();
  const user = await findUserById(deps.db, userId);
  if (!user) throw adminUserNotFound();
  const now = deps.clock();
  await withTransaction(deps.db, async (tx) => {
    await deleteUserData(tx, userId);
    await recordAudit(
      tx,
      actor,
      {
        action: 'user.delete',
        targetType: 'user',
        targetId: userId,
        details: { email: user.email, username: user.username },
      },
      now,
    );
  });
  deps.disconnectUser(userId);
}

/**
 * A password reset link for the admin to hand over (mail not set up, or not arriving). It works
 * once, for PASSWORD_RESET_TTL, and does not verify the address: the admin, not the mailbox,
 * delivered it. The link itself is never stored or logged, only that one was issued.
 */
export async function issueResetLink(
  deps: UserAdminDeps,
  actor: AuditActor,
  userId: string,
): Promise<{ url: string; expiresAt: string }> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw adminUserNotFound();
  const link = await deps.signIns.issueResetLink(user);
  await recordAudit(
    deps.db,
    actor,
    { action: 'user.reset_link', targetType: 'user', targetId: userId },
    deps.clock(),
  );
  return { url: link.url, expiresAt: link.expiresAt.toISOString() };
}
