import { Router } from 'express';
import { adminGuardTripsQuerySchema } from '@hintbook/contracts';
import { parseQuery } from '../../middleware/validate.js';
import { getPrivacyReport, type PrivacyReportDeps } from './privacy-report.service.js';

/** `/api/admin/usage/privacy`: how much was redacted before the providers. */
export function privacyReportRoutes(deps: PrivacyReportDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await getPrivacyReport(deps, parseQuery(adminGuardTripsQuerySchema, req.query)));
  });
  return router;
}
