import { Router } from 'express';
import { adminUsageQuerySchema } from '@hintbook/contracts';
import { parseQuery } from '../../middleware/validate.js';
import type { QuotaDeps } from './quota.service.js';
import { getBudget, getUsageReport } from './usage-report.service.js';

/** `/api/admin/usage`: tokens and cost per period and model, provider or user; the budget. */
export function usageReportRoutes(deps: QuotaDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await getUsageReport(deps, parseQuery(adminUsageQuerySchema, req.query)));
  });
  router.get('/budget', async (_req, res) => {
    res.json({ budget: await getBudget(deps) });
  });
  return router;
}
