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
/** A read that hangs must not hold its gauge: it counts as failed after this. */
const QUERY_TIMEOUT_MS = 2_000;
/** `select 1`: often enough for the one-minute database-down alert. */
const DB_UP_EVERY_MS = 15_000;
/** The month's spending and the active students scan many rows: once a minute is plenty. */
const USAGE_EVERY_MS = 60_000;

export interface Collectors {
  /** Reads the database-backed gauges now (the timers do it on their own; tests call it). */
  refreshNow(): Promise<void>;
  stop(): void;
}

/**
 * Gauges read at scrape time. A scrape never waits on the database: the gauges that need it
 * (database up, budget remaining, active students) are read on their own schedule by unref'd
 * timers and the scrape reports the last reading, so a scrape is memory only and never takes a
 * pool connection from a turn. Those database figures are the same installation-wide value on
 * every replica: dashboards take max(), not sum().
 */
export function attachCollectors(metrics: AppMetrics, deps: CollectorDeps): Collectors {
  const { registry } = metrics;
  const query = <T>(name: string, work: () => Promise<T>) =>
    withTimeout(work(), QUERY_TIMEOUT_MS).catch((error: unknown) => {
      deps.logger.warn({ err: error, metric: name }, 'a metric could not be read');
      return undefined;
    });

  const last: {
    isDbUp?: boolean;
    /** Spent and reserved this month, USD; undefined when there is no budget or no answer. */
    spentUsd?: number | undefined;
    activeStudents?: [number, number] | undefined;
  } = {};
  const readDbUp = async () => {
    last.isDbUp =
      (await query('db up', () => deps.database.db.execute(sql`select 1`))) !== undefined;
  };
  const readUsage = async () => {
    const now = deps.clock();
    const [spentUsd, activeStudents] = await Promise.all([
      deps.limits().monthlyBudgetUsd > 0
        ? query('budget', () => spentAndHeldThisMonth(deps.database.db, now))
        : undefined,
      // Scans the day's messages and checks (no index on time alone).
      query('active students', () =>
        Promise.all([
          countActiveStudentsSince(deps.database.db, new Date(now.getTime() - 15 * 60_000)),
          countActiveStudentsSince(deps.database.db, new Date(now.getTime() - 86_400_000)),
        ]),
      ),
    ]);
    last.spentUsd = spentUsd;
    last.activeStudents = activeStudents;
  };
  const dbUpTimer = everyMs(DB_UP_EVERY_MS, readDbUp);
  const usageTimer = everyMs(USAGE_EVERY_MS, readUsage);
  // The first scrape after start waits for the first readings (2 s at most), then never again.
  const firstReadings = Promise.all([dbUpTimer.runNow(), usageTimer.runNow()]);

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
      help: 'Monthly AI budget left: budget minus spent and reserved this calendar month (UTC), read once a minute',
    },
    async (gauge) => {
      await firstReadings;
      gauge.reset();
      const budget = deps.limits().monthlyBudgetUsd;
      if (budget > 0 && last.spentUsd !== undefined) gauge.set(budget - last.spentUsd);
    },
  );
  scrapeGauge(
    registry,
    {
      name: 'hintbook_active_students',
      help: 'Students who asked the tutor or ran a check in the window (15m, 1d), read once a minute',
      labelNames: ['window'] as const,
    },
    async (gauge) => {
      await firstReadings;
      gauge.reset();
      const counts = last.activeStudents;
      if (!counts) return;
      gauge.set({ window: '15m' }, counts[0]);
      gauge.set({ window: '1d' }, counts[1]);
    },
  );
  scrapeGauge(
    registry,
    {
      name: 'hintbook_db_up',
      help: '1 when the database answered `select 1` at the last check (every 15 s, 2 s limit)',
    },
    async (gauge) => {
      await firstReadings;
      gauge.set(last.isDbUp ? 1 : 0);
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

  return {
    async refreshNow() {
      await Promise.all([dbUpTimer.runAfresh(), usageTimer.runAfresh()]);
    },
    stop() {
      dbUpTimer.stop();
      usageTimer.stop();
    },
  };
}

/**
 * `read` every `ms` on an unref'd timer (it never keeps the process alive), one run at a time:
 * a tick that finds the previous read still running skips, and `runNow` joins a running read;
 * `runAfresh` waits for it and reads again (a reading that started after the call).
 */
function everyMs(ms: number, read: () => Promise<void>) {
  let running: Promise<void> | undefined;
  const runNow = () =>
    (running ??= read()
      .catch(() => {})
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void runNow(), ms);
  timer.unref();
  return {
    runNow,
    async runAfresh() {
      await running;
      await runNow();
    },
    stop: () => clearInterval(timer),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
