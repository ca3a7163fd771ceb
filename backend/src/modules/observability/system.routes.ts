import { Router } from 'express';
import type { SystemMetricsResponse } from '@hintbook/contracts';
import type { Clock } from '../../lib/clock.js';
import type { MetricWindows } from './metric-windows.js';
import { getSystemMetrics, type ReplicaWindows } from './system.service.js';

/**
 * `/api/admin/system` (admins): percentiles from the backend's own histograms, for schools
 * without Grafana; every live replica's when `peers` (Redis) is there.
 */
export function systemRoutes(deps: {
  windows: MetricWindows | undefined;
  processStartedAt: Date;
  clock: Clock;
  peers?: (() => Promise<ReplicaWindows[] | undefined>) | undefined;
}): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const report = await getSystemMetrics({ ...deps, now: deps.clock() });
    res.json(report satisfies SystemMetricsResponse);
  });
  return router;
}
