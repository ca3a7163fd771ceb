import { Router } from 'express';
import { listAuditLogQuerySchema } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { parseQuery } from '../../middleware/validate.js';
import { listAuditLog } from './audit.service.js';

/** `GET /api/admin/audit-log` (mounted behind the admin guard). */
export function auditLogRoutes(deps: { db: Db }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await listAuditLog(deps.db, parseQuery(listAuditLogQuerySchema, req.query)));
  });
  return router;
}
