import { Router } from 'express';
import type { CircuitBreakers } from '../../ai/circuit-breaker.js';
import type { ChatProvider } from '../../ai/types.js';
import { getBudgetStatus, type QuotaDeps } from '../usage/quota.service.js';

export interface AiHealthDeps {
  /** The chain in effect now (the admin's settings over the environment). */
  currentChain: () => Array<{ provider: ChatProvider; model: string; smallModel: string }>;
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
    const entries = deps.currentChain();
    const firstAvailable = entries.find((entry) => circuits[entry.provider.name]?.state !== 'open');
    const status = entries.length === 0 ? 'not_configured' : firstAvailable ? 'ok' : 'degraded';
    if (!req.auth?.user.isAdmin) {
      res.json({ status });
      return;
    }
    res.json({
      status,
      demo: entries[0]?.provider.name === 'mock',
      providers: entries.map((entry) => ({
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
