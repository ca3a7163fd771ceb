import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';

export type NewAuditRow = typeof auditLog.$inferInsert;

export async function insertAuditEntry(db: Db, values: NewAuditRow): Promise<void> {
  await db.insert(auditLog).values(values);
}

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Keyset cursor: strictly older than this (createdAt, id). */
  before?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

export function findAuditEntries(db: Db, filter: AuditFilter) {
  const conditions: SQL[] = [];
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.actorId) conditions.push(eq(auditLog.actorUserId, filter.actorId));
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.before) {
    const { createdAt, id } = filter.before;
    conditions.push(
      or(
        lt(auditLog.createdAt, createdAt),
        and(eq(auditLog.createdAt, createdAt), lt(auditLog.id, id)),
      )!,
    );
  }
  return db
    .select({
      id: auditLog.id,
      actorUserId: auditLog.actorUserId,
      actorEmail: auditLog.actorEmail,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(filter.limit);
}
