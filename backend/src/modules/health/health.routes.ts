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

/** `GET /api/health`: ready to serve (database reachable, migrations applied), else 503. */
export function readinessRoutes(database: Database, migrationsExpected: number): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const health = await checkReadiness(database, migrationsExpected);
    res
      .status(health.status === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(health);
  });
  return router;
}
