import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Registry } from 'prom-client';
import { serialiseForPeers } from '../../backend/src/cluster/shared-metric-windows.js';
import { createCircuitBreakers } from '../../backend/src/ai/circuit-breaker.js';
import { openDatabase, type Database } from '../../backend/src/db/client.js';
import { applyMigrations } from '../../backend/src/db/migrate.js';
import { createLogger } from '../../backend/src/lib/logger.js';
import { attachCollectors } from '../../backend/src/modules/observability/collectors.js';
import {
  createAppMetrics,
  type AppMetrics,
} from '../../backend/src/modules/observability/metrics.js';
import { renderMetrics } from '../../backend/src/modules/observability/metrics-server.js';
import { createMetricWindows } from '../../backend/src/modules/observability/metric-windows.js';
import { processMetrics } from '../../backend/src/modules/observability/process-metrics.js';
import {
  readReplicaWindows,
  SYSTEM_METRICS,
} from '../../backend/src/modules/observability/system.service.js';
import { repoRoot } from './processes.js';
import { createThrowawayDatabase } from './database.js';
import { summarizeValues } from './stats.js';

/**
 * A scrape of a production-sized registry, piece by piece: each metric's collect and
 * serialisation (prom-client's getSingleMetricAsString), the app's and the process's registries
 * whole, and the longest stretch a scrape held the event loop (what a turn's event arriving
 * meanwhile waits): each registry serialised at once (`registry.metrics()`) against what
 * `/metrics` does (renderMetrics: one metric at a time, the loop free between two). Each piece is timed as wall time and as event-loop busy time (the loop's
 * utilisation over the piece), so a gauge waiting on the database shows as long wall, short busy.
 */

const ROUTES = 60;
const SCRAPES = 40;

export interface PieceTiming {
  piece: string;
  /** p50 / max over the scrapes, ms. */
  wall: { p50: number; max: number };
  busy: { p50: number; max: number };
}

export async function timeScrapePieces(options: { pgServerUrl?: string | undefined }) {
  const throwaway = options.pgServerUrl
    ? await createThrowawayDatabase(options.pgServerUrl)
    : undefined;
  const database = openDatabase({ url: throwaway?.url, dataDir: 'memory://' });
  try {
    await applyMigrations(database, `${repoRoot}/migrations`);
    await seedDatabase(database);
    const metrics = createAppMetrics();
    fillRegistry(metrics);
    const collectors = attachCollectors(metrics, {
      database,
      clock: () => new Date(),
      logger: createLogger('warn'),
      limits: () => ({ monthlyBudgetUsd: 50 }),
      chain: () => ['openai', 'anthropic'],
      breakers: createCircuitBreakers(
        { failureThreshold: 5, cooldownMs: 30_000 },
        () => new Date(),
      ),
      connectedSockets: () => 30,
    });
    const registries = { app: metrics.registry, process: processMetrics() };
    // Warm-up: JIT, the pool's connections, the first refresh of cached gauges.
    for (let i = 0; i < 5; i++) await scrapeAll(registries);

    const samples = new Map<string, { wall: number[]; busy: number[] }>();
    const add = (piece: string, wall: number, busy: number) => {
      const entry = samples.get(piece) ?? { wall: [], busy: [] };
      entry.wall.push(wall);
      entry.busy.push(busy);
      samples.set(piece, entry);
    };
    const longestBlock = {
      atOnce: [] as number[],
      served: [] as number[],
      share: [] as number[],
    };
    // The System page's windows: a snapshot each minute, and with Redis, every 15 s, both
    // windows read and written as JSON for the other replicas (cluster/shared-metric-windows).
    const windows = createMetricWindows({
      registry: metrics.registry,
      metricNames: SYSTEM_METRICS,
    });
    const share = async () =>
      serialiseForPeers(await readReplicaWindows(windows, new Date()), Date.now());
    for (let s = 0; s < SCRAPES; s++) {
      for (const [registryName, registry] of Object.entries(registries))
        for (const metric of registry.getMetricsAsArray()) {
          const { wall, busy } = await timed(() => registry.getSingleMetricAsString(metric.name));
          add(`${registryName}: ${metric.name}`, wall, busy);
        }
      for (const [registryName, registry] of Object.entries(registries)) {
        const { wall, busy } = await timed(() => registry.metrics());
        add(`${registryName} registry, whole`, wall, busy);
      }
      const atOnce = await timed(() => scrapeAll(registries));
      add('whole scrape, each registry at once (registry.metrics())', atOnce.wall, atOnce.busy);
      const served = await timed(() => renderMetrics(Object.values(registries)));
      add('whole scrape as /metrics serves it (renderMetrics)', served.wall, served.busy);
      longestBlock.atOnce.push(await longestLoopBlockDuring(() => scrapeAll(registries)));
      longestBlock.served.push(
        await longestLoopBlockDuring(() => renderMetrics(Object.values(registries))),
      );
      const snapshot = await timed(() => windows.snapshot());
      add('System page: snapshot of its metrics (each minute)', snapshot.wall, snapshot.busy);
      const shared = await timed(share);
      add(
        'System page: both windows as JSON for the replicas (each 15 s with Redis)',
        shared.wall,
        shared.busy,
      );
      longestBlock.share.push(await longestLoopBlockDuring(share));
    }
    const bytes = (await scrapeAll(registries)).length;
    collectors.stop();
    windows.stop();
    const pieces: PieceTiming[] = [...samples].map(([piece, { wall, busy }]) => {
      const w = summarizeValues(wall);
      const b = summarizeValues(busy);
      return { piece, wall: { p50: w.p50, max: w.max }, busy: { p50: b.p50, max: b.max } };
    });
    const blocks = (values: number[]) => {
      const summary = summarizeValues(values);
      return { p50: summary.p50, max: summary.max };
    };
    return {
      pieces,
      longestBlock: {
        atOnce: blocks(longestBlock.atOnce),
        served: blocks(longestBlock.served),
        share: blocks(longestBlock.share),
      },
      bytes,
      driver: database.driver,
    };
  } finally {
    await database.close();
    await throwaway?.drop();
  }
}

const scrapeAll = async (registries: Record<string, Registry>) =>
  (await Promise.all(Object.values(registries).map((registry) => registry.metrics()))).join('\n');

async function timed(work: () => Promise<unknown>) {
  const before = performance.eventLoopUtilization();
  const started = performance.now();
  await work();
  const wall = performance.now() - started;
  const busy = performance.eventLoopUtilization(before).active;
  return { wall, busy };
}

/** The longest gap between turns of a setImmediate ticker while `work` runs, ms. */
async function longestLoopBlockDuring(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let isRunning = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (isRunning) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  isRunning = false;
  await new Promise((resolve) => setImmediate(resolve));
  return longest;
}

/**
 * Every label set a busy installation has: 60 route templates × 2 methods, three providers of
 * two models each for every kind, each turn outcome, query outcomes.
 */
function fillRegistry(metrics: AppMetrics) {
  for (let r = 0; r < ROUTES; r++)
    for (const method of ['GET', 'POST'])
      for (const status of [200, 404, 500])
        metrics.httpRequest(`/api/r${r}/:id`, method, status, 0.003 * (1 + (r % 7)));
  const kinds = ['answer', 'classification', 'summary'] as const;
  for (const provider of ['openai', 'anthropic', 'gemini'] as const)
    for (const model of [`${provider}-large`, `${provider}-small`])
      for (const purpose of kinds)
        for (const outcome of ['ok', 'error'] as const)
          metrics.providerCall(
            {
              provider,
              model,
              purpose,
              outcome,
              durationMs: 900,
              usage: { inputTokens: 900, outputTokens: 300 },
              ...(outcome === 'error' ? { error: { kind: 'server' } } : {}),
            } as Parameters<AppMetrics['providerCall']>[0],
            0.002,
          );
  for (let t = 0; t < 1_000; t++) {
    metrics.turnStarted();
    metrics.turnFirstDelta(0.2 + (t % 10) / 10);
    metrics.turnEnded(t % 50 === 0 ? 'failed' : 'completed', 'none', 3);
    metrics.dbQuery(0.002, t % 100 !== 0);
  }
}

/**
 * A month of a 500-student installation: 100 000 questions and answers, so the gauges that
 * read the database at scrape time scan what a real one holds.
 */
async function seedDatabase(database: Database) {
  const { db } = database;
  await db.execute(sql`
    insert into users (email, username, password_hash)
    select 'student' || i || '@example.org', 'student' || i, 'x' from generate_series(1, 500) i`);
  await db.execute(sql`
    insert into chat_sessions (user_id, title) select id, 'bench' from users`);
  await db.execute(sql`
    with s as (select id, user_id, row_number() over () - 1 as n from chat_sessions)
    insert into messages (session_id, user_id, role, content, created_at)
    select s.id, s.user_id, case when i % 2 = 0 then 'user' else 'assistant' end, 'text',
           now() - (i * interval '26 seconds')
    from generate_series(1, 100000) i join s on s.n = i % 500`);
  await db.execute(sql`analyze`);
}
