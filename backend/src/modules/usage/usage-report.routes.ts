import { Router } from 'express';
import { adminGuardTripsQuerySchema, adminUsageQuerySchema } from '@hintbook/contracts';
import { parseQuery } from '../../middleware/validate.js';
import type { AdminDeps } from './admin.types.js';
import { getBudget, getUsageReport } from './admin-usage.service.js';
import { getGuardTripReport } from './guard-trips.service.js';
import { getPrivacyReport } from './privacy-report.service.js';

/**
 * `/api/admin/usage`: tokens and cost per period and model, provider or user; the budget; how
 * often the answer guard stepped in; how much was redacted before the providers.
 */
export function adminUsageRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await getUsageReport(deps, parseQuery(adminUsageQuerySchema, req.query)));
  });
  router.get('/budget', async (_req, res) => {
    res.json({ budget: await getBudget(deps) });
  });
  router.get('/guard-trips', async (req, res) => {
    res.json(await getGuardTripReport(deps, parseQuery(adminGuardTripsQuerySchema, req.query)));
  });
  router.get('/privacy', async (req, res) => {
    res.json(await getPrivacyReport(deps, parseQuery(adminGuardTripsQuerySchema, req.query)));
  });
  return router;
}
