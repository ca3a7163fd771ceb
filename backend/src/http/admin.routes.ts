import { Router } from 'express';
import { requireAdmin } from '../middleware/authenticate.js';
import { auditLogRoutes } from '../modules/audit/audit.routes.js';
import { guardTripReportRoutes } from '../modules/chat/guard-trips.routes.js';
import { transcriptRoutes } from '../modules/chat/transcripts.routes.js';
import type { TranscriptDeps } from '../modules/chat/transcripts.service.js';
import { adminExercisesRoutes } from '../modules/exercises/exercises.routes.js';
import { questionInsightsRoutes } from '../modules/insights/question-insights.routes.js';
import type { QuestionInsightsDeps } from '../modules/insights/question-insights.service.js';
import type { ModuleAdminDeps } from '../modules/learning/learning.types.js';
import { adminModulesRoutes } from '../modules/learning/module-admin.routes.js';
import { privacyReportRoutes } from '../modules/privacy/privacy-report.routes.js';
import type { PrivacyReportDeps } from '../modules/privacy/privacy-report.service.js';
import { getRetrievalStatus } from '../modules/retrieval/retrieval-status.service.js';
import type { RetrievalDeps } from '../modules/retrieval/retrieval.types.js';
import { rosterAdminRoutes } from '../modules/roster/roster.routes.js';
import type { RosterDeps } from '../modules/roster/roster.service.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';
import type { SettingsDeps } from '../modules/settings/settings.service.js';
import { providerErrorsRoutes } from '../modules/usage/provider-errors.routes.js';
import type { QuotaDeps } from '../modules/usage/quota.service.js';
import { usageReportRoutes } from '../modules/usage/usage-report.routes.js';
import { adminUsersRoutes } from '../modules/users/user-admin.routes.js';
import type { UserAdminDeps } from '../modules/users/users.types.js';

/** What every domain's admin routes need together; built once in app.ts. */
export type AdminDeps = ModuleAdminDeps &
  UserAdminDeps &
  TranscriptDeps &
  QuotaDeps &
  PrivacyReportDeps &
  RosterDeps &
  QuestionInsightsDeps &
  RetrievalDeps & { settings: SettingsDeps };

/**
 * Everything under `/api/admin` (mounted behind `authenticate`): one admin check for all of it,
 * then each domain's own admin routes. Admin is a kind of user, not a domain: the routes live
 * with the data they serve. admin-routes.int.test.ts lists every route found here.
 */
export function adminRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.use(requireAdmin);
  router.use('/users', adminUsersRoutes(deps), transcriptRoutes(deps));
  router.use('/modules', adminExercisesRoutes(deps), adminModulesRoutes(deps));
  router.use('/usage/guard-trips', guardTripReportRoutes(deps));
  router.use('/usage/privacy', privacyReportRoutes(deps));
  router.use('/usage', usageReportRoutes(deps));
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
