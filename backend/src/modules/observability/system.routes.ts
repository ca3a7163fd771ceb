import { Router } from 'express';
import type { SystemMetricsResponse } from '@hintbook/contracts';
import type { Clock } from '../../lib/clock.js';
import type { MetricWindows } from './metric-windows.js';
import { getSystemMetrics } from './system.service.js';

/** `/api/admin/system` (admins): the process's own percentiles, for schools without Grafana. */
export function systemRoutes(deps: {
  windows: MetricWindows;
  processStartedAt: Date;
  clock: Clock;
}): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const report = await getSystemMetrics({ ...deps, now: deps.clock() });
    res.json(report satisfies SystemMetricsResponse);
  });
  return router;
}
