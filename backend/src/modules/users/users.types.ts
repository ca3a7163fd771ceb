import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { ChatLimits } from '../usage/quota.service.js';

/** What the admin's user screens need; built once in app.ts. */
export interface UserAdminDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Live limits (settings over env), for each user's allowance. */
  limits: ChatLimits;
  canReadTranscripts: boolean;
  /** Where reset links point and how long they work. */
  mail: Config['mail'];
  mailer: Mailer;
  /** Ends every socket of a user at once (disable, delete). */
  disconnectUser: (userId: string) => void;
}

/** A user as other domains see it (the row users.repository.ts reads). */
export type { UserRow } from './users.repository.js';
