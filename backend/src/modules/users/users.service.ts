/**
 * The `users` table as other domains use it. Auth signs people in and registers them, oidc links
 * school accounts, account edits a profile and exports it, chat checks whom a transcript is of:
 * they call these, never users.repository.ts, so every write of the table is one this domain
 * published. Most are the repository's own statements, published as they are.
 */
import type { Db } from '../../db/client.js';
import { deleteUser, findUserById } from './users.repository.js';
import { toPublicUser } from './users.mapper.js';

export {
  bumpTokenVersion,
  clearExpiredLock,
  createUser,
  findUserByEmail,
  findUserById,
  findUserIdByUsername,
  markEmailVerified,
  recordLoginFailure,
  recordLoginSuccess,
  setAdminFlag,
  updateUser,
} from './users.repository.js';
export type { UserRow } from './users.repository.js';

/** The account section of a student's data export (account.service composes the sections). */
export async function exportUserData(db: Db, userId: string) {
  const user = await findUserById(db, userId);
  if (!user) return undefined;
  return {
    ...toPublicUser(user),
    updatedAt: user.updatedAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

/**
 * Deletes the account row inside the caller's transaction; foreign keys cascade to everything
 * the user owns in other tables (account deletion and the admin's delete both end here).
 */
export function deleteUserData(tx: Db, userId: string): Promise<boolean> {
  return deleteUser(tx, userId);
}
