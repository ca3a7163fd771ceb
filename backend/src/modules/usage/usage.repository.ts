import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { usageEvents } from '../../db/schema/index.js';

export type NewUsageEvent = typeof usageEvents.$inferInsert;

export async function insertUsageEvent(db: Db, event: NewUsageEvent): Promise<void> {
  await db.insert(usageEvents).values(event);
}

/** Input + output tokens the user spent since `since`. */
export async function sumUserTokensSince(db: Db, userId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({
      total: sql<number>`coalesce(sum(${usageEvents.inputTokens} + ${usageEvents.outputTokens}), 0)::int`,
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.userId, userId), gte(usageEvents.createdAt, since)));
  return Number(row?.total ?? 0);
}

/** What the whole installation spent since `since`, in USD. */
export async function sumCostSince(db: Db, since: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${usageEvents.costUsd}), 0)` })
    .from(usageEvents)
    .where(gte(usageEvents.createdAt, since));
  return Number(row?.total ?? 0);
}

export async function listUsageForUser(db: Db, userId: string) {
  return db
    .select({
      purpose: usageEvents.purpose,
      provider: usageEvents.provider,
      model: usageEvents.model,
      inputTokens: usageEvents.inputTokens,
      outputTokens: usageEvents.outputTokens,
      costUsd: usageEvents.costUsd,
      outcome: usageEvents.outcome,
      createdAt: usageEvents.createdAt,
    })
    .from(usageEvents)
    .where(eq(usageEvents.userId, userId));
}
