import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased; the unique index on lower() guards against writers that forget. */
    email: text('email').notNull(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    isAdmin: boolean('is_admin').notNull().default(false),
    programmingLevel: smallint('programming_level').notNull().default(2),
    mathsLevel: smallint('maths_level').notNull().default(2),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Bumped to invalidate every access token at once (logout-all, password change). */
    tokenVersion: integer('token_version').notNull().default(0),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /**
     * Set once the address is shown to belong to the account holder. Admin rights need it, so
     * registering a listed ADMIN_EMAIL address first is not enough to become admin.
     */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    /** How it was shown: `email` (a link), `oidc` (the provider's claim) or `operator` (shell). */
    emailVerifiedVia: text('email_verified_via'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_lower_idx').on(sql`lower(${table.email})`),
    uniqueIndex('users_username_lower_idx').on(sql`lower(${table.username})`),
    check('users_programming_level_range', sql`${table.programmingLevel} between 1 and 5`),
    check('users_maths_level_range', sql`${table.mathsLevel} between 1 and 5`),
    check(
      'users_email_verified_via_known',
      sql`${table.emailVerifiedVia} is null or ${table.emailVerifiedVia} in ('email', 'oidc', 'operator')`,
    ),
  ],
);
