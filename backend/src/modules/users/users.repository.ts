import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema/index.js';

/** Every column the services use; password hashes leave this file only for verification. */
const userColumns = {
  id: users.id,
  email: users.email,
  username: users.username,
  passwordHash: users.passwordHash,
  isAdmin: users.isAdmin,
  programmingLevel: users.programmingLevel,
  mathsLevel: users.mathsLevel,
  failedLoginCount: users.failedLoginCount,
  lockedUntil: users.lockedUntil,
  tokenVersion: users.tokenVersion,
  disabledAt: users.disabledAt,
  emailVerifiedAt: users.emailVerifiedAt,
  emailVerifiedVia: users.emailVerifiedVia,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = Pick<
  typeof users.$inferInsert,
  'email' | 'username' | 'passwordHash' | 'isAdmin' | 'programmingLevel' | 'mathsLevel'
>;

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select(userColumns).from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select(userColumns)
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row;
}

export async function findUserIdByUsername(db: Db, username: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.username})`, username.toLowerCase()));
  return row?.id;
}

export async function createUser(db: Db, values: NewUserRow): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...values, email: values.email.toLowerCase() })
    .returning(userColumns);
  return row!;
}

export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<Pick<UserRow, 'username' | 'programmingLevel' | 'mathsLevel' | 'passwordHash'>>,
  now: Date,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: now })
    .where(eq(users.id, id))
    .returning(userColumns);
  return row;
}

/**
 * Counts one failed sign-in atomically and locks the account when the count reaches
 * `maxFailures`, so parallel guesses cannot slip past the limit.
 */
export async function recordLoginFailure(
  db: Db,
  id: string,
  maxFailures: number,
  lockUntil: Date,
): Promise<void> {
  await db
    .update(users)
    .set({
      failedLoginCount: sql`${users.failedLoginCount} + 1`,
      lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${maxFailures}
        then ${lockUntil.toISOString()}::timestamptz else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, id));
}

export async function recordLoginSuccess(db: Db, id: string, now: Date, isAdmin: boolean) {
  await db
    .update(users)
    .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now, isAdmin })
    .where(eq(users.id, id));
}

/** Clears an expired lock so the next wrong password starts a fresh count. */
export async function clearExpiredLock(db: Db, id: string): Promise<void> {
  await db.update(users).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, id));
}

/** Invalidates every access token already issued to the user. */
export async function bumpTokenVersion(db: Db, id: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, id))
    .returning({ tokenVersion: users.tokenVersion });
  return row?.tokenVersion ?? 0;
}

/**
 * Makes `is_admin` match the rule in `admin-rights.ts` for every account: listed in ADMIN_EMAIL
 * *and* with a verified address. Everyone else is demoted. Returns how many rows changed.
 */
export async function syncAdminFlags(db: Db, adminEmails: string[]): Promise<number> {
  const shouldBeAdmin =
    adminEmails.length === 0
      ? sql`false`
      : sql`(${users.emailVerifiedAt} is not null and lower(${users.email}) in (${sql.join(
          adminEmails.map((email) => sql`${email.toLowerCase()}`),
          sql`, `,
        )}))`;
  const changed = await db
    .update(users)
    .set({ isAdmin: shouldBeAdmin })
    .where(ne(users.isAdmin, shouldBeAdmin))
    .returning({ id: users.id });
  return changed.length;
}

export type EmailVerificationMethod = 'email' | 'oidc' | 'operator';

/** Records that the account owns its address; the first verification is kept. */
export async function markEmailVerified(
  db: Db,
  id: string,
  via: EmailVerificationMethod,
  now: Date,
): Promise<void> {
  await db
    .update(users)
    .set({ emailVerifiedAt: now, emailVerifiedVia: via, updatedAt: now })
    .where(and(eq(users.id, id), sql`${users.emailVerifiedAt} is null`));
}

/** Forgets a verification (an operator found the account was not its owner's). */
export async function clearEmailVerification(db: Db, id: string, now: Date): Promise<void> {
  await db
    .update(users)
    .set({ emailVerifiedAt: null, emailVerifiedVia: null, isAdmin: false, updatedAt: now })
    .where(eq(users.id, id));
}

export async function setAdminFlag(db: Db, id: string, isAdmin: boolean): Promise<void> {
  await db.update(users).set({ isAdmin }).where(eq(users.id, id));
}

/** Accounts with one of these (lower-cased) addresses, verified or not. */
export async function findUsersByEmails(db: Db, emails: string[]): Promise<UserRow[]> {
  if (emails.length === 0) return [];
  return db
    .select(userColumns)
    .from(users)
    .where(inArray(sql`lower(${users.email})`, emails));
}

/** Listed addresses whose accounts exist but are not verified: the boot log names them. */
export async function findUnverifiedEmails(db: Db, emails: string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(sql`lower(${users.email})`, emails), sql`${users.emailVerifiedAt} is null`));
  return rows.map((row) => row.email);
}

export async function deleteUser(db: Db, id: string): Promise<boolean> {
  const deleted = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  return deleted.length > 0;
}
