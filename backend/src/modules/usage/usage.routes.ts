import { Router } from 'express';
import { requireAuth } from '../../middleware/authenticate.js';
import { getMyUsage, type QuotaDeps } from './quota.service.js';

/** `GET /api/me/usage`: the student's allowance, used and left (mounted behind `authenticate`). */
export function myUsageRoutes(deps: QuotaDeps & { isTutorConfigured: () => boolean }): Router {
  const router = Router();
  router.get('/usage', async (req, res) => {
    res.json(await getMyUsage(deps, requireAuth(req).user.id, deps.isTutorConfigured()));
  });
  return router;
}
