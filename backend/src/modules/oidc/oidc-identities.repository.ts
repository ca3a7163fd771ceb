import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { oidcIdentities } from '../../db/schema/index.js';

export async function findUserIdBySubject(db: Db, provider: string, subject: string) {
  const [row] = await db
    .select({ userId: oidcIdentities.userId })
    .from(oidcIdentities)
    .where(and(eq(oidcIdentities.provider, provider), eq(oidcIdentities.subject, subject)));
  return row?.userId;
}

export async function linkIdentity(
  db: Db,
  values: { userId: string; provider: string; subject: string; createdAt: Date },
): Promise<void> {
  await db.insert(oidcIdentities).values(values).onConflictDoNothing();
}

export function listIdentitiesForUser(db: Db, userId: string) {
  return db
    .select({
      provider: oidcIdentities.provider,
      subject: oidcIdentities.subject,
      linkedAt: oidcIdentities.createdAt,
    })
    .from(oidcIdentities)
    .where(eq(oidcIdentities.userId, userId));
}
