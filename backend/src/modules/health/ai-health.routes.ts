import { Router } from 'express';
import type { CircuitBreakers } from '../../ai/circuit-breaker.js';
import type { ProviderRegistry } from '../../ai/registry.js';
import { getBudgetStatus, type QuotaDeps } from '../usage/quota.service.js';

export interface AiHealthDeps {
  registry: ProviderRegistry;
  breakers: CircuitBreakers;
  quota: QuotaDeps;
}

/**
 * `GET /api/health/ai`, built only from recent real calls: it never makes a (paid) call itself.
 * Anonymous callers and students learn ok / degraded / not_configured; admins also get each
 * provider's circuit and the month's budget.
 */
export function aiHealthRoutes(deps: AiHealthDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const circuits = deps.breakers.statuses();
    const chain = deps.registry.chain.map((entry) => entry.provider.name);
    const firstAvailable = chain.find((name) => circuits[name]?.state !== 'open');
    const status = !deps.registry.isConfigured
      ? 'not_configured'
      : firstAvailable
        ? 'ok'
        : 'degraded';
    if (!req.auth?.user.isAdmin) {
      res.json({ status });
      return;
    }
    res.json({
      status,
      demo: deps.registry.isDemo,
      providers: deps.registry.chain.map((entry) => ({
        name: entry.provider.name,
        model: entry.model,
        smallModel: entry.smallModel,
        circuit: circuits[entry.provider.name] ?? { state: 'closed', consecutiveFailures: 0 },
      })),
      budget: await getBudgetStatus(deps.quota),
    });
  });
  return router;
}
