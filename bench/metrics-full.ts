import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyseRun, type RunAnalysis, type RunInput } from './lib/analysis.js';
import { createThrowawayDatabase, DEFAULT_SERVER_URL } from './lib/database.js';
import {
  checkBuild,
  freePort,
  repoRoot,
  startBackend,
  startFake,
  startWorker,
  stop,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
} from './lib/processes.js';
import { printTable, type Row } from './lib/report.js';
import { round, summarizeValues } from './lib/stats.js';
import {
  benchBackendEnv,
  CHUNKS,
  loadRun,
  measureRun,
  registerUsers,
  scriptFake,
} from './lib/streaming.js';

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
const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

type Side = 'off' | 'on';
const ORDER: Side[] = ['off', 'on', 'on', 'off'];

const startedAt = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);
const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

let fake: FakeProcess | undefined;
const backends: Partial<Record<Side, BackendProcess>> = {};
const workers: ClientWorker[] = [];
const databases: Array<{ url: string; drop: () => Promise<void> }> = [];
let tempDir: string | undefined;

async function cleanup() {
  await Promise.all(workers.map((worker) => stop(worker.child, 2_000)));
  await Promise.all(Object.values(backends).map((backend) => stop(backend.child, 12_000)));
  await stop(fake?.child, 2_000);
  for (const database of databases)
    await database.drop().catch((error: unknown) => console.error('could not drop', error));
  if (tempDir && !process.env.BENCH_KEEP) rmSync(tempDir, { recursive: true, force: true });
}

async function startSide(side: Side, metricsPort: number): Promise<BackendProcess> {
  const database = pgServerUrl ? await createThrowawayDatabase(pgServerUrl) : undefined;
  if (database) databases.push(database);
  const env = benchBackendEnv({
    fakeBaseUrl: fake!.baseUrl,
    dataDir: path.join(tempDir!, `data-${side}`),
    databaseUrl: database?.url,
  });
  const metrics: Record<string, string> =
    side === 'off'
      ? { METRICS_RECORDING: 'off' }
      : { METRICS_PORT: String(metricsPort), METRICS_TOKEN };
  return startBackend({ ...env, ...metrics }, path.join(tempDir!, `backend-${side}.log`));
}

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

/** GET /metrics with the token every `everyMs`, as Prometheus would, until stopped. */
function startScraper(url: string, everyMs: number) {
  const samples: Array<{ ms: number; bytes: number }> = [];
  const failures: string[] = [];
  let isStopped = false;
  let wake = () => {};
  const done = (async () => {
    for (;;) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, everyMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (isStopped) return;
      const before = performance.now();
      const headers = { authorization: `Bearer ${METRICS_TOKEN}` };
      const response = await fetch(url, { headers }).catch(() => undefined);
      const body = (await response?.text()) ?? '';
      if (response?.ok) samples.push({ ms: performance.now() - before, bytes: body.length });
      else failures.push(response ? `HTTP ${response.status}` : 'no answer');
    }
  })();
  return {
    samples,
    failures,
    async stop() {
      isStopped = true;
      wake();
      await done;
    },
  };
}

/** Several rounds of one side as one run: every turn and delta counts once. */
function pool(inputs: RunInput[]): RunInput {
  const mean = (pick: (input: RunInput) => number) =>
    inputs.reduce((sum, input) => sum + pick(input), 0) / inputs.length;
  const worstLoop = inputs.reduce((worst, input) =>
    input.backend.loopDelayP99Ms > worst.backend.loopDelayP99Ms ? input : worst,
  );
  return {
    ...inputs[0]!,
    results: inputs.flatMap((input) => input.results),
    timings: Object.assign({}, ...inputs.map((input) => input.timings)),
    healthMs: inputs.flatMap((input) => input.healthMs),
    backend: worstLoop.backend,
    fakeLoopDelayP99Ms: Math.max(...inputs.map((input) => input.fakeLoopDelayP99Ms)),
    cpuPercent: {
      backend: mean((input) => input.cpuPercent.backend),
      fake: mean((input) => input.cpuPercent.fake),
      clients: mean((input) => input.cpuPercent.clients),
      machine: mean((input) => input.cpuPercent.machine),
      others: mean((input) => input.cpuPercent.others),
    },
  };
}

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
  log(
    `clock offsets to the fake: ${clocks.map((c) => `±${(c.rtt / 2).toFixed(3)} ms`).join(', ')}`,
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

  const rounds: Array<{
    side: Side;
    input: RunInput;
    analysis: RunAnalysis;
    scrapes: number;
    loadAverage: string;
  }> = [];
  const scrapes: Array<{ ms: number; bytes: number }> = [];
  for (let r = 0; r < 2 * ROUNDS; r += 1) {
    const side = ORDER[r % ORDER.length]!;
    await connect(backends[side]!.url, tokens[side]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const scraper = side === 'on' ? startScraper(metricsUrl, SCRAPE_EVERY_MS) : undefined;
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
  report(rounds, scrapes);
}

function report(
  rounds: Array<{
    side: Side;
    input: RunInput;
    analysis: RunAnalysis;
    scrapes: number;
    loadAverage: string;
  }>,
  scrapes: Array<{ ms: number; bytes: number }>,
) {
  const sideOf = (side: Side) => rounds.filter((r) => r.side === side);
  const pooled = {
    off: analyseRun(pool(sideOf('off').map((r) => r.input))),
    on: analyseRun(pool(sideOf('on').map((r) => r.input))),
  };
  const spread = (side: Side, pick: (a: RunAnalysis) => number) => {
    const values = sideOf(side).map((r) => pick(r.analysis));
    return `${round(Math.min(...values), 2)}–${round(Math.max(...values), 2)}`;
  };
  const pair = (s: { p50: number; p99: number }) => `${round(s.p50, 2)} / ${round(s.p99, 2)} ms`;
  const figures = [
    ['first token added by Hintbook', (a: RunAnalysis) => a.ttft.added] as const,
    ['per-delta added latency', (a: RunAnalysis) => a.deltaAdded] as const,
  ];
  const rows: Row[] = figures.flatMap(([name, pick]) => {
    const off = pick(pooled.off);
    const on = pick(pooled.on);
    const added = { p50: on.p50 - off.p50, p99: on.p99 - off.p99 };
    return [
      {
        metric: `${name}: metrics off p50 / p99`,
        measured: `${pair(off)} (p99 per round ${spread('off', (a) => pick(a).p99)})`,
        target: '—',
      },
      {
        metric: `${name}: metrics on p50 / p99`,
        measured: `${pair(on)} (p99 per round ${spread('on', (a) => pick(a).p99)})`,
        target: '—',
      },
      {
        metric: `${name}: added by metrics p50 / p99`,
        measured: pair(added),
        target: `p99 ≤ ${TARGET_ADDED_P99_MS} ms`,
        pass: added.p99 <= TARGET_ADDED_P99_MS,
      },
    ];
  });
  const scrapeMs = summarizeValues(scrapes.map((s) => s.ms));
  rows.push(
    {
      metric: 'backend CPU, % of a core: off / on',
      measured: `${round(pooled.off.cpuPercent.backend, 1)} / ${round(pooled.on.cpuPercent.backend, 1)}`,
      target: '—',
    },
    {
      metric: 'backend event-loop delay p99 (worst round): off / on',
      measured: `${round(pooled.off.backend.loopDelayP99Ms, 1)} / ${round(pooled.on.backend.loopDelayP99Ms, 1)} ms`,
      target: '—',
    },
    {
      metric: `scrapes during the on rounds (every ${SCRAPE_EVERY_MS / 1000} s)`,
      measured:
        `${scrapes.length}, p50 ${round(scrapeMs.p50, 1)} / max ${round(scrapeMs.max, 1)} ms, ` +
        `${Math.round((scrapes.at(-1)?.bytes ?? 0) / 1024)} KB`,
      target: '—',
    },
    {
      metric: 'turns clean: off / on',
      measured: `${pooled.off.turns.ok}/${pooled.off.turns.total} / ${pooled.on.turns.ok}/${pooled.on.turns.total}`,
      target: 'all',
      pass:
        pooled.off.turns.ok === pooled.off.turns.total &&
        pooled.on.turns.ok === pooled.on.turns.total,
    },
  );
  console.log('');
  printTable(rows);
  console.log('\nRounds (in the order run):');
  printTable(
    rounds.map((r, i) => ({
      metric: `${i + 1}. metrics ${r.side}`,
      measured:
        `first token added p50/p99 ${pair(r.analysis.ttft.added)}, per delta ${pair(r.analysis.deltaAdded)}, ` +
        `backend CPU ${round(r.analysis.cpuPercent.backend, 0)} %, others ${round(r.analysis.cpuPercent.others, 0)} % ` +
        `of a core, load average ${r.loadAverage}`,
      target: r.scrapes > 0 ? `${r.scrapes} scrapes` : '',
    })),
  );
  const noisy = rounds.filter((r) => r.analysis.cpuPercent.others > 25).length;
  if (noisy > 0)
    console.log(
      `\nwarning: other processes used > 25 % of a core in ${noisy} of ${rounds.length} rounds: ` +
        'differences below the per-round spread are noise; rerun on a quiet machine.',
    );
  const resultsDir = path.join(repoRoot, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `metrics-full-${pgServerUrl ? 'postgres' : 'pglite'}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        settings: {
          quick,
          streams: STREAMS,
          rounds: ROUNDS,
          roundMs: ROUND_MS,
          scrapeEveryMs: SCRAPE_EVERY_MS,
        },
        summary: rows,
        pooled: {
          off: { ...pooled.off, problems: pooled.off.problems.slice(0, 20) },
          on: { ...pooled.on, problems: pooled.on.problems.slice(0, 20) },
        },
        rounds: rounds.map((r) => ({
          side: r.side,
          scrapes: r.scrapes,
          loadAverage: r.loadAverage,
          analysis: { ...r.analysis, problems: r.analysis.problems.slice(0, 20) },
        })),
        scrapes,
        nproc: os.availableParallelism(),
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `\nRaw figures: ${path.relative(repoRoot, file)}; load average at the end: ${loadAverage()}`,
  );
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
