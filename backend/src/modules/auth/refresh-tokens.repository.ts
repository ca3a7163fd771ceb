import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { refreshTokens } from '../../db/schema/index.js';

const tokenColumns = {
  id: refreshTokens.id,
  userId: refreshTokens.userId,
  familyId: refreshTokens.familyId,
  expiresAt: refreshTokens.expiresAt,
  rotatedAt: refreshTokens.rotatedAt,
  revokedAt: refreshTokens.revokedAt,
};

export type RefreshTokenRow = {
  [K in keyof typeof tokenColumns]: (typeof refreshTokens.$inferSelect)[K];
};

export async function createRefreshToken(
  db: Db,
  values: {
    userId: string;
    familyId: string;
    tokenHash: string;
    expiresAt: Date;
    userAgent?: string | undefined;
  },
): Promise<void> {
  await db.insert(refreshTokens).values({ ...values, userAgent: values.userAgent?.slice(0, 300) });
}

export async function findRefreshTokenByHash(
  db: Db,
  tokenHash: string,
): Promise<RefreshTokenRow | undefined> {
  const [row] = await db
    .select(tokenColumns)
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash));
  return row;
}

/**
 * Marks a token as spent. Conditional on it still being fresh, so of two concurrent refreshes
 * with the same token exactly one wins.
 */
export async function markRefreshTokenRotated(db: Db, id: string, now: Date): Promise<boolean> {
  const updated = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(
      and(
        eq(refreshTokens.id, id),
        isNull(refreshTokens.rotatedAt),
        isNull(refreshTokens.revokedAt),
      ),
    )
    .returning({ id: refreshTokens.id });
  return updated.length === 1;
}

export async function revokeRefreshFamily(db: Db, familyId: string, now: Date): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Ends every sign-in of the user, optionally sparing the family making the request. */
export async function revokeUserRefreshTokens(
  db: Db,
  userId: string,
  now: Date,
  exceptFamilyId?: string,
): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(
      and(
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        exceptFamilyId ? ne(refreshTokens.familyId, exceptFamilyId) : sql`true`,
      ),
    );
}

/** Sign-ins of a user, for the data export (no hashes). */
export async function listRefreshTokensForUser(db: Db, userId: string) {
  return db
    .select({
      familyId: refreshTokens.familyId,
      createdAt: refreshTokens.createdAt,
      expiresAt: refreshTokens.expiresAt,
      rotatedAt: refreshTokens.rotatedAt,
      revokedAt: refreshTokens.revokedAt,
      userAgent: refreshTokens.userAgent,
    })
    .from(refreshTokens)
    .where(eq(refreshTokens.userId, userId));
}
