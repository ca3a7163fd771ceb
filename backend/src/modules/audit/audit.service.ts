import type { AuditEntry, ListAuditLogResponse } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { validationFailed } from '../../lib/app-error.js';
import { findAuditEntries, insertAuditEntry } from './audit.repository.js';

/** Who acted: kept as id and email, so the trail survives the admin's account. */
export interface AuditActor {
  id: string;
  email: string;
}

/** An operator at a shell (`npm run admin`): no account behind the action. */
export interface ShellActor {
  id: null;
  email: string;
}

export interface AuditEvent {
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Writes one audit entry. Pass the transaction that makes the change, so the change and its
 * entry are stored together or not at all.
 */
export async function recordAudit(
  db: Db,
  actor: AuditActor | ShellActor,
  event: AuditEvent,
  now: Date,
): Promise<void> {
  await insertAuditEntry(db, {
    actorUserId: actor.id,
    actorEmail: actor.email,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId ?? null,
    details: event.details ?? {},
    createdAt: now,
  });
}

/** `<iso time>~<uuid>`: opaque to clients, exact for entries that share a timestamp. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return `${row.createdAt.toISOString()}~${row.id}`;
}

export function decodeCursor(raw: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!raw) return undefined;
  const [iso, id] = raw.split('~');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw validationFailed([{ path: 'before', message: 'Not a cursor from a previous page' }]);
  }
  return { createdAt, id };
}

export async function listAuditLog(
  db: Db,
  query: {
    action?: string | undefined;
    actorId?: string | undefined;
    targetType?: string | undefined;
    targetId?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
): Promise<ListAuditLogResponse> {
  const rows = await findAuditEntries(db, {
    ...query,
    before: decodeCursor(query.before),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const entries: AuditEntry[] = page.map((row) => ({
    ...row,
    details: (row.details ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  }));
  const last = page.at(-1);
  return { entries, nextBefore: rows.length > query.limit && last ? encodeCursor(last) : null };
}
