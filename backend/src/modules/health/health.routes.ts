import { Router } from 'express';
import type { Database } from '../../db/client.js';
import { checkReadiness } from './health.service.js';

/** `GET /health`: the process is alive. No I/O, so it stays cheap and never flaps with the DB. */
export function livenessRoutes(): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  return router;
}

/**
 * `GET /api/health`: ready to serve (database reachable, migrations applied), else 503. A
 * replica shutting down answers 503 too, so load balancers send new work elsewhere.
 */
export function readinessRoutes(
  database: Database,
  migrationsExpected: number,
  drain?: { isDraining(): boolean },
): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const checked = await checkReadiness(database, migrationsExpected);
    const health = drain?.isDraining()
      ? { ...checked, status: 'unavailable' as const, draining: true }
      : checked;
    res
      .status(health.status === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(health);
  });
  return router;
}
