import { Router } from 'express';
import { listProviderErrorsQuerySchema } from '@hintbook/contracts';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, parseQuery } from '../../middleware/validate.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { providerErrorNotFound } from './usage.errors.js';
import { listProviderErrors, resolveProviderError } from './provider-errors.service.js';

/** `/api/admin/provider-errors`: failed provider calls, and marking them resolved. */
export function providerErrorsRoutes(deps: { db: Db; clock: Clock }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(
      await listProviderErrors(deps.db, parseQuery(listProviderErrorsQuerySchema, req.query)),
    );
  });
  router.post('/:id/resolve', async (req, res) => {
    const id = parseIdParam(req.params.id, providerErrorNotFound);
    res.json({ error: await resolveProviderError(deps, requireAuth(req).user, id) });
  });
  return router;
}
