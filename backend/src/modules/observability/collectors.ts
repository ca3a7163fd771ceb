import { sql } from 'drizzle-orm';
import type { ProviderName } from '../../ai/types.js';
import type { CircuitBreakers } from '../../ai/circuit-breaker.js';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ChatLimits } from '../usage/quota.service.js';
import { spentAndHeldThisMonth } from '../usage/quota.service.js';
import { countActiveStudentsSince } from './observability.repository.js';
import { scrapeGauge, type AppMetrics } from './metrics.js';

export interface CollectorDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  limits: () => Pick<ChatLimits, 'monthlyBudgetUsd'>;
  /** The answer chain in effect, primary first. */
  chain: () => ProviderName[];
  breakers: CircuitBreakers;
  connectedSockets: () => number;
}

const CIRCUIT_STATES = ['closed', 'half_open', 'open'] as const;
/** A scrape must answer even when the database does not: its gauges are left out then. */
const QUERY_TIMEOUT_MS = 2_000;
const ACTIVE_STUDENTS_TTL_MS = 60_000;

/**
 * Gauges read at scrape time. Those that ask the database (budget, active students) give the
 * same installation-wide value on every replica: dashboards take max(), not sum().
 */
export function attachCollectors(metrics: AppMetrics, deps: CollectorDeps): void {
  const { registry } = metrics;
  const query = <T>(name: string, work: () => Promise<T>) =>
    withTimeout(work(), QUERY_TIMEOUT_MS).catch((error: unknown) => {
      deps.logger.warn({ err: error, metric: name }, 'a metric could not be read');
      return undefined;
    });

  // Scans the day's messages and checks (no index on time alone): once a minute, not per scrape.
  const activeStudents = cachedFor(ACTIVE_STUDENTS_TTL_MS, deps.clock, () => {
    const now = deps.clock().getTime();
    return query('active students', () =>
      Promise.all([
        countActiveStudentsSince(deps.database.db, new Date(now - 15 * 60_000)),
        countActiveStudentsSince(deps.database.db, new Date(now - 86_400_000)),
      ]),
    );
  });

  scrapeGauge(
    registry,
    { name: 'hintbook_socket_connections', help: 'socket.io connections open on this process' },
    (gauge) => gauge.set(deps.connectedSockets()),
  );
  scrapeGauge(
    registry,
    {
      name: 'hintbook_ai_circuit_state',
      help: 'Circuit breaker per provider of the answer chain: 1 for its current state',
      labelNames: ['provider', 'state', 'primary'] as const,
    },
    (gauge) => {
      gauge.reset();
      const statuses = deps.breakers.statuses();
      deps.chain().forEach((provider, index) => {
        const current = statuses[provider]?.state ?? 'closed';
        for (const state of CIRCUIT_STATES)
          gauge.set({ provider, state, primary: String(index === 0) }, state === current ? 1 : 0);
      });
    },
  );
  scrapeGauge(
    registry,
    { name: 'hintbook_ai_budget_usd', help: 'Monthly AI budget in USD (0: no budget set)' },
    (gauge) => gauge.set(deps.limits().monthlyBudgetUsd),
  );
  scrapeGauge(
    registry,
    {
      name: 'hintbook_ai_budget_remaining_usd',
      help: 'Monthly AI budget left: budget minus spent and reserved this calendar month (UTC)',
    },
    async (gauge) => {
      gauge.reset();
      const budget = deps.limits().monthlyBudgetUsd;
      if (budget <= 0) return;
      const now = deps.clock();
      const spent = await query('budget', () => spentAndHeldThisMonth(deps.database.db, now));
      if (spent !== undefined) gauge.set(budget - spent);
    },
  );
  scrapeGauge(
    registry,
    {
      name: 'hintbook_active_students',
      help: 'Students who asked the tutor or ran a check in the window (15m, 1d)',
      labelNames: ['window'] as const,
    },
    async (gauge) => {
      gauge.reset();
      const counts = await activeStudents();
      if (!counts) return;
      gauge.set({ window: '15m' }, counts[0]);
      gauge.set({ window: '1d' }, counts[1]);
    },
  );
  scrapeGauge(
    registry,
    { name: 'hintbook_db_up', help: '1 when the database answered `select 1` during the scrape' },
    async (gauge) => {
      const answered = await query('db up', () => deps.database.db.execute(sql`select 1`));
      gauge.set(answered ? 1 : 0);
    },
  );
  scrapeGauge(
    registry,
    {
      name: 'hintbook_db_pool_connections',
      help: 'Database pool connections by state (in_use, idle, waiting: callers queued for one)',
      labelNames: ['state'] as const,
    },
    (gauge) => {
      const pool = deps.database.poolStats?.();
      if (!pool) return;
      gauge.set({ state: 'in_use' }, pool.total - pool.idle);
      gauge.set({ state: 'idle' }, pool.idle);
      gauge.set({ state: 'waiting' }, pool.waiting);
    },
  );
}

/** The last successful answer of `read` for `ttlMs`; a failed read is retried at once. */
function cachedFor<T>(ttlMs: number, clock: Clock, read: () => Promise<T | undefined>) {
  let cached: { at: number; value: T } | undefined;
  return async (): Promise<T | undefined> => {
    const now = clock().getTime();
    if (cached && now - cached.at < ttlMs) return cached.value;
    const value = await read();
    if (value !== undefined) cached = { at: now, value };
    return value;
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
