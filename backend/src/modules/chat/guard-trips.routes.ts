import { Router } from 'express';
import { adminGuardTripsQuerySchema } from '@hintbook/contracts';
import { parseQuery } from '../../middleware/validate.js';
import { getGuardTripReport, type GuardTripReportDeps } from './guard-trips.service.js';

/** `/api/admin/usage/guard-trips`: how often the answer guard stepped in. */
export function guardTripReportRoutes(deps: GuardTripReportDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await getGuardTripReport(deps, parseQuery(adminGuardTripsQuerySchema, req.query)));
  });
  return router;
}
