import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ChatLimits } from '../usage/quota.service.js';
import type { UserRow } from './users.repository.js';

/** What the admin's user screens need; built once in app.ts. */
export interface UserAdminDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Live limits (settings over env), for each user's allowance. */
  limits: ChatLimits;
  canReadTranscripts: boolean;
  /**
   * Auth's side of an account, handed in by app.ts: auth reads and writes users through
   * users.service.ts, so users cannot import auth back.
   */
  signIns: {
    /** Ends every refresh token of the user, inside the caller's transaction. */
    revokeAll(tx: Db, userId: string, now: Date): Promise<void>;
    /** A one-time password reset link for the admin to hand over. */
    issueResetLink(user: UserRow): Promise<{ url: string; expiresAt: Date }>;
  };
  /** Ends every socket of a user at once (disable, delete). */
  disconnectUser: (userId: string) => void;
}

/** A user as other domains see it (the row users.repository.ts reads). */
export type { UserRow } from './users.repository.js';
