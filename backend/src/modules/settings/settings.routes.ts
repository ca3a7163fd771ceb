import { Router } from 'express';
import { adminProviderNameSchema, updateAiSettingsBodySchema } from '@hintbook/contracts';
import { notFound } from '../../lib/app-error.js';
import { requireAuth } from '../../middleware/authenticate.js';
import { withBody } from '../../middleware/validate.js';
import {
  getAiSettings,
  testProvider,
  updateAiSettings,
  type SettingsDeps,
} from './settings.service.js';

/** `/api/admin/settings`: the AI chain, models and limits in effect, and provider tests. */
export function settingsRoutes(deps: SettingsDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json(await getAiSettings(deps));
  });
  router.put(
    '/',
    withBody(updateAiSettingsBodySchema, async (body, req, res) => {
      const { user } = requireAuth(req);
      res.json(await updateAiSettings(deps, user, body));
    }),
  );
  router.post('/providers/:name/test', async (req, res) => {
    const name = adminProviderNameSchema.safeParse(req.params.name);
    if (!name.success) throw notFound('No such provider');
    res.json(await testProvider(deps, requireAuth(req).user, name.data));
  });
  return router;
}
