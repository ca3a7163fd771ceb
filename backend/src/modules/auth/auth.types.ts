import type { Config } from '../../config/env.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { RateLimitStores } from '../../cluster/rate-limit-store.js';
import type { Mailer } from '../mail/mailer.js';
import type { PasswordHasher } from '../../lib/password-hasher.js';
import type { AccessTokens } from './tokens.js';

export type AuthSettings = Config['auth'];

/** What auth and account services need; passed in so tests can swap the clock or settings. */
export interface AuthDeps {
  db: Db;
  settings: AuthSettings;
  clock: Clock;
  accessTokens: AccessTokens;
  passwords: PasswordHasher;
  mailer: Mailer;
  mail: Config['mail'];
  /** School sign-in providers (OpenID Connect), for the sign-in page's buttons. */
  oidc: Config['oidc'];
  logger: Logger;
  /** Rate-limit counters shared by every replica (Redis); absent, each process counts. */
  rateLimitStores?: RateLimitStores | undefined;
}

/** Tokens handed out at sign-in, refresh and password change. */
export interface IssuedSession {
  familyId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  /** Absent when the current refresh cookie stays valid (password change). */
  refreshToken?: string;
  refreshTokenExpiresAt?: Date;
}

export interface RequestMeta {
  userAgent?: string | undefined;
}
