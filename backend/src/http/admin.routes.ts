import { Router } from 'express';
import { requireAdmin } from '../../middleware/authenticate.js';
import { auditLogRoutes } from '../audit/audit.routes.js';
import { rosterAdminRoutes } from '../roster/roster.routes.js';
import { questionInsightsRoutes } from '../insights/question-insights.routes.js';
import { getRetrievalStatus } from '../retrieval/retrieval-status.service.js';
import { settingsRoutes } from '../settings/settings.routes.js';
import { adminExercisesRoutes } from '../exercises/exercises.routes.js';
import type { AdminDeps } from './admin.types.js';
import { adminModulesRoutes } from './admin-modules.routes.js';
import { adminUsageRoutes } from './admin-usage.routes.js';
import { adminUsersRoutes } from './admin-users.routes.js';
import { providerErrorsRoutes } from './provider-errors.routes.js';

/**
 * Everything under `/api/admin` (mounted behind `authenticate`): one admin check for all of it,
 * then one sub-router per area. admin-routes.int.test.ts lists every route found here.
 */
export function adminRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.use(requireAdmin);
  router.use('/users', adminUsersRoutes(deps));
  router.use('/modules', adminExercisesRoutes(deps), adminModulesRoutes(deps));
  router.use('/usage', adminUsageRoutes(deps));
  router.use('/settings', settingsRoutes(deps.settings));
  router.use('/provider-errors', providerErrorsRoutes(deps));
  router.use('/audit-log', auditLogRoutes(deps));
  router.use('/insights', questionInsightsRoutes(deps));
  router.use(rosterAdminRoutes(deps));
  router.get('/retrieval', async (_req, res) => {
    res.json({ retrieval: await getRetrievalStatus(deps) });
  });
  return router;
}
