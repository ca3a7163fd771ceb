import { and, count, eq, gte, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { emailTokens } from '../../db/schema/index.js';

export type EmailTokenPurpose = 'verify_email' | 'reset_password';
export type EmailTokenRow = typeof emailTokens.$inferSelect;

export async function createEmailToken(
  db: Db,
  values: Pick<
    typeof emailTokens.$inferInsert,
    'userId' | 'purpose' | 'email' | 'deliveredBy' | 'tokenHash' | 'expiresAt' | 'createdAt'
  >,
): Promise<void> {
  await db.insert(emailTokens).values(values);
}

export async function findEmailTokenByHash(
  db: Db,
  tokenHash: string,
): Promise<EmailTokenRow | undefined> {
  const [row] = await db.select().from(emailTokens).where(eq(emailTokens.tokenHash, tokenHash));
  return row;
}

/** Spends a token; false when it was spent already (two tabs, a replayed link). */
export async function markEmailTokenUsed(db: Db, id: string, now: Date): Promise<boolean> {
  const spent = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.id, id), isNull(emailTokens.usedAt)))
    .returning({ id: emailTokens.id });
  return spent.length > 0;
}

/** Retires a user's unused links of one kind: only the newest link may work. */
export async function retireEmailTokens(
  db: Db,
  userId: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<void> {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
      ),
    );
}

export async function countEmailTokensSince(
  db: Db,
  userId: string,
  purpose: EmailTokenPurpose,
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, purpose),
        gte(emailTokens.createdAt, since),
      ),
    );
  return Number(row?.value ?? 0);
}

export async function deleteExpiredEmailTokens(db: Db, before: Date): Promise<void> {
  await db.delete(emailTokens).where(sql`${emailTokens.expiresAt} < ${before.toISOString()}`);
}
