import type { PublicUser } from '@hintbook/contracts';
import type { UserRow } from './users.repository.js';

/** The only way a user leaves the API: no hash, no lockout counters, no token version. */
export function toPublicUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    isAdmin: user.isAdmin,
    emailVerified: user.emailVerifiedAt !== null,
    programmingLevel: user.programmingLevel,
    mathsLevel: user.mathsLevel,
    createdAt: user.createdAt.toISOString(),
  };
}
