import { z } from 'zod';
import { isoDate, uuid, limitParam } from './admin-common.js';

/** `/api/admin/audit-log`: who changed what, for the admin panel. */

export const auditEntrySchema = z.object({
  id: uuid,
  actorUserId: z.string().nullable(),
  actorEmail: z.string(),
  /** `module.publish`, `user.disable`, `settings.update`, `transcript.view`, … */
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const listAuditLogQuerySchema = z.object({
  action: z.string().max(100).optional(),
  actorId: uuid.optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(200).optional(),
  before: z.string().max(200).optional(),
  limit: limitParam,
});
export type ListAuditLogQuery = z.input<typeof listAuditLogQuerySchema>;

export const listAuditLogResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.string().nullable(),
});
export type ListAuditLogResponse = z.infer<typeof listAuditLogResponseSchema>;
