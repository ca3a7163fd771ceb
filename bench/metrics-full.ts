import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyseRun } from './lib/analysis.js';
import { DEFAULT_SERVER_URL } from './lib/database.js';
import { measureClockOffset } from './lib/fake-clock.js';
import {
  checkBuild,
  freePort,
  repoRoot,
  startFake,
  startWorker,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
} from './lib/processes.js';
import {
  loadAverage,
  reportSideBySide,
  type Round,
  type Scrape,
  type Side,
} from './lib/metrics-side-by-side.js';
import { startScraper } from './lib/scraper.js';
import { startMetricsSide, stopMetricsSides, type BenchDatabase } from './lib/metrics-sides.js';
import { round } from './lib/stats.js';
import { CHUNKS, loadRun, measureRun, registerUsers, scriptFake } from './lib/streaming.js';

/**
 * Issue 18's overhead target on the real streaming bench: two built backends, identical but
 * for metrics (METRICS_RECORDING=off, and on with METRICS_PORT plus a scrape every few seconds
 * as Prometheus would), driven in turn by the same clients against the same fake provider, in
 * rounds ordered off, on, on, off, … so drift in the machine's load falls on both alike.
 *   npm run bench:metrics -- --full [--quick] [--pg[=URL]] [--streams=100] [--rounds=N]
 *     [--round-seconds=S] [--scrape-every=S]
 * See bench/README.md ("Metrics overhead").
 */

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const pgArgument = process.argv.find((arg) => arg === '--pg' || arg.startsWith('--pg='));
const pgServerUrl = pgArgument ? pgArgument.slice(5) || DEFAULT_SERVER_URL : undefined;
const STREAMS = Number(argument('streams') ?? 100);
/** Rounds per side; the order off, on, on, off repeats. */
const ROUNDS = Number(argument('rounds') ?? (quick ? 2 : 6));
const ROUND_MS = Number(argument('round-seconds') ?? (quick ? 6 : 15)) * 1000;
const SCRAPE_EVERY_MS = Number(argument('scrape-every') ?? 5) * 1000;
const WORKERS = 2;
const TARGET_ADDED_P99_MS = 1;

const ORDER: Side[] = ['off', 'on', 'on', 'off'];

const startedAt = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);

let fake: FakeProcess | undefined;
const backends: Partial<Record<Side, BackendProcess>> = {};
const workers: ClientWorker[] = [];
const databases: BenchDatabase[] = [];
let tempDir: string | undefined;

const cleanup = () => stopMetricsSides({ workers, backends, fake, databases, tempDir });

const startSide = (side: Side, metricsPort: number): Promise<BackendProcess> =>
  startMetricsSide({
    side,
    recording: side === 'on',
    metricsPort,
    fake: fake!,
    tempDir: tempDir!,
    pgServerUrl,
    databases,
  });

/** Each worker holds its share of `tokens`' sockets on `url` until `disconnect`. */
async function connect(url: string, tokens: string[]) {
  const replies = await Promise.all(
    workers.map((worker, w) =>
      worker.request(
        { type: 'connect', url, tokens: tokens.filter((_, i) => i % WORKERS === w) },
        'connected',
        180_000,
      ),
    ),
  );
  const failures = replies.reduce((sum, reply) => sum + reply.failures, 0);
  if (failures > 0) throw new Error(`${failures} sockets could not connect`);
}
const disconnect = () =>
  Promise.all(workers.map((worker) => worker.request({ type: 'close' }, 'closed', 10_000)));

async function main() {
  const buildWarning = checkBuild();
  if (buildWarning) console.warn(`warning: ${buildWarning}`);
  const hardStop = setTimeout(
    () => {
      console.error('bench: hard time limit reached, stopping');
      void cleanup().finally(() => process.exit(2));
    },
    2 * ROUNDS * (ROUND_MS + 30_000) + 300_000,
  );
  hardStop.unref();
  log(`load average at start: ${loadAverage()}`);

  tempDir = mkdtempSync(path.join(os.tmpdir(), 'hintbook-bench-metrics-'));
  fake = await startFake();
  const metricsPort = await freePort();
  // One after the other: two databases starting at once would slow both.
  backends.off = await startSide('off', metricsPort);
  backends.on = await startSide('on', metricsPort);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  log(
    `database: ${pgServerUrl ? `PostgreSQL ${new URL(pgServerUrl).host}` : 'PGlite'}; ` +
      `metrics off at ${backends.off.url}, on at ${backends.on.url} (scraped at ${metricsUrl})`,
  );
  for (let i = 0; i < WORKERS; i += 1) workers.push(startWorker());
  const clocks = await Promise.all(
    workers.map((worker) =>
      worker.request({ type: 'calibrate', clockUrl: fake!.controlUrl }, 'calibrated', 30_000),
    ),
  );
  const ownClock = await measureClockOffset(fake.controlUrl);
  log(
    `clock offsets to the fake: ${[...clocks, ownClock].map((c) => `±${(c.rtt / 2).toFixed(3)} ms`).join(', ')}`,
  );
  await scriptFake(fake, CHUNKS);
  const tokens = {
    off: await registerUsers(backends.off.url, STREAMS),
    on: await registerUsers(backends.on.url, STREAMS),
  };
  const rigOf = (side: Side) => ({ backend: backends[side]!, fake: fake!, workers });

  // Warm-up of each (JIT, pools, the fake's connections): measured but not reported.
  for (const side of ['off', 'on'] as const) {
    await connect(backends[side]!.url, tokens[side]);
    await loadRun(rigOf(side), Math.min(20, STREAMS), 3_000);
    await disconnect();
  }

  const rounds: Round[] = [];
  const scrapes: Scrape[] = [];
  for (let r = 0; r < 2 * ROUNDS; r += 1) {
    const side = ORDER[r % ORDER.length]!;
    await connect(backends[side]!.url, tokens[side]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const scraper =
      side === 'on' ? startScraper(metricsUrl, SCRAPE_EVERY_MS, ownClock.offset) : undefined;
    const input = await measureRun(rigOf(side), STREAMS, ROUND_MS);
    await scraper?.stop();
    if (scraper && scraper.failures.length > 0)
      throw new Error(`scrapes failed: ${scraper.failures.join(', ')}`);
    await disconnect();
    scrapes.push(...(scraper?.samples ?? []));
    const analysis = analyseRun(input);
    rounds.push({
      side,
      input,
      analysis,
      scrapes: scraper?.samples.length ?? 0,
      loadAverage: loadAverage(),
    });
    log(
      `round ${r + 1}/${2 * ROUNDS}, metrics ${side}: ${analysis.turns.ok}/${analysis.turns.total} turns clean, ` +
        `first token added p99 ${round(analysis.ttft.added.p99, 1)} ms, per delta p99 ` +
        `${round(analysis.deltaAdded.p99, 2)} ms${scraper ? `, ${scraper.samples.length} scrapes` : ''}`,
    );
  }
  reportSideBySide({
    rounds,
    scrapes,
    scrapeEveryMs: SCRAPE_EVERY_MS,
    targetAddedP99Ms: TARGET_ADDED_P99_MS,
    settings: {
      quick,
      streams: STREAMS,
      rounds: ROUNDS,
      roundMs: ROUND_MS,
      scrapeEveryMs: SCRAPE_EVERY_MS,
    },
    file: path.join(
      repoRoot,
      `bench/results/metrics-full-${pgServerUrl ? 'postgres' : 'pglite'}.json`,
    ),
  });
}

let failed = false;
const interrupt = () => {
  failed = true;
  void cleanup().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);
try {
  await main();
} catch (error) {
  failed = true;
  console.error('bench failed:', error);
}
await cleanup();
process.exit(failed ? 1 : 0);
