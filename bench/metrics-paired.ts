import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SERVER_URL } from './lib/database.js';
import { measureClockOffset } from './lib/fake-clock.js';
import { loadAverage, type Side } from './lib/metrics-side-by-side.js';
import {
  pairedDifference,
  pairedVerdict,
  pairSamples,
  sortedSamples,
  type PairedDifference,
  type Timings,
} from './lib/paired-analysis.js';
import {
  checkBuild,
  cpuSeconds,
  freePort,
  machineTicks,
  repoRoot,
  startFake,
  startWorker,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
} from './lib/processes.js';
import { printTable, type Row } from './lib/report.js';
import { startScraper } from './lib/scraper.js';
import { startMetricsSide, stopMetricsSides, type BenchDatabase } from './lib/metrics-sides.js';
import { summarizeValues } from './lib/stats.js';
import {
  CHUNK_DELAY_MS,
  CHUNKS,
  registerUsers,
  scriptFake,
  TURN_TIMEOUT_MS,
} from './lib/streaming.js';

/**
 * Issue 18's overhead target, paired: two built backends run at the same time on the same
 * database server and the same fake provider, one with metrics off and one with metrics on
 * (and scraped), and every client stream is a pair of sockets, one on each, that ask in the
 * same tick and wait for both answers. A turn on one side is compared with the turn sent at the
 * same instant on the other, so the machine's load at that instant falls on both; the p99
 * difference gets a bootstrap interval over pairs. --control runs both sides with metrics off
 * (the interval should hold 0: the check that the design itself has no side bias).
 *   npm run bench:metrics -- --paired [--pg[=URL]] [--pairs=30] [--seconds=240]
 *     [--scrape-every=5] [--block-seconds=5] [--control] [--swap] [--quick]
 * See bench/README.md ("Metrics overhead", "Paired").
 */

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const isControl = process.argv.includes('--control');
/**
 * The two slots are not alike: one backend starts (and gets its database) first and its sockets
 * are each pair's first. --swap gives the first slot to metrics on, so a run and a swapped run
 * together cancel what the slot does (an A/A control found a few ms at p99 between slots).
 */
const SLOTS: [Side, Side] = process.argv.includes('--swap') ? ['on', 'off'] : ['off', 'on'];
const pgArgument = process.argv.find((arg) => arg === '--pg' || arg.startsWith('--pg='));
const pgServerUrl = pgArgument ? pgArgument.slice(5) || DEFAULT_SERVER_URL : undefined;
const PAIRS = Number(argument('pairs') ?? 30);
const RUN_MS = Number(argument('seconds') ?? (quick ? 40 : 240)) * 1000;
const WARMUP_MS = 10_000;
const SCRAPE_EVERY_MS = Number(argument('scrape-every') ?? 5) * 1000;
/** The bootstrap's unit: every pair sent within the same BLOCK_MS (a turn lasts about 3 s). */
const BLOCK_MS = Number(argument('block-seconds') ?? 5) * 1000;
const WORKERS = 2;
const TARGET_ADDED_P99_MS = 1;

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
    recording: side === 'on' && !isControl,
    metricsPort,
    fake: fake!,
    tempDir: tempDir!,
    pgServerUrl,
    databases,
  });

/**
 * Worker w holds pairs w, w + WORKERS, …: first its off sockets, then its on sockets, in the
 * same order (the worker pairs its i-th socket with its (n + i)-th).
 */
const pairsOf = (w: number) =>
  Array.from({ length: PAIRS }, (_, i) => i).filter((i) => i % WORKERS === w);

async function connectPairs(tokens: Record<Side, string[]>) {
  for (const side of SLOTS) {
    const replies = await Promise.all(
      workers.map((worker, w) =>
        worker.request(
          {
            type: 'connect',
            url: backends[side]!.url,
            tokens: pairsOf(w).map((i) => tokens[side][i]!),
          },
          'connected',
          180_000,
        ),
      ),
    );
    const failures = replies.reduce((sum, reply) => sum + reply.failures, 0);
    if (failures > 0) throw new Error(`${failures} sockets could not connect to ${side}`);
  }
}

const runPairs = async (durationMs: number) =>
  (
    await Promise.all(
      workers.map((worker, w) =>
        worker.request(
          {
            type: 'paired',
            pairs: pairsOf(w).length,
            durationMs,
            staggerMs: CHUNKS * CHUNK_DELAY_MS,
            chunks: CHUNKS,
            turnTimeoutMs: TURN_TIMEOUT_MS,
          },
          'ranPaired',
          durationMs + TURN_TIMEOUT_MS + 60_000,
        ),
      ),
    )
  ).map((reply) => reply.pairs);

const ms = (value: number, digits = 2) => `${value.toFixed(digits)} ms`;
const interval = (d: PairedDifference, digits = 2) =>
  `${d.added >= 0 ? '+' : ''}${d.added.toFixed(digits)} ms [${d.low.toFixed(digits)}, ${d.high.toFixed(digits)}]`;

async function main() {
  const buildWarning = checkBuild();
  if (buildWarning) console.warn(`warning: ${buildWarning}`);
  const hardStop = setTimeout(
    () => {
      console.error('bench: hard time limit reached, stopping');
      void cleanup().finally(() => process.exit(2));
    },
    RUN_MS + WARMUP_MS + 600_000,
  );
  hardStop.unref();
  log(`load average at start: ${loadAverage()}`);

  tempDir = mkdtempSync(path.join(os.tmpdir(), 'hintbook-bench-paired-'));
  fake = await startFake();
  const metricsPort = await freePort();
  for (const side of SLOTS) backends[side] = await startSide(side, metricsPort);
  const { off, on } = backends as Record<Side, BackendProcess>;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  log(
    `database: ${pgServerUrl ? `PostgreSQL ${new URL(pgServerUrl).host}` : 'PGlite'}; metrics off at ` +
      `${off.url}, ${isControl ? 'also off (control)' : 'on'} at ${on.url}`,
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
    off: await registerUsers(off.url, PAIRS),
    on: await registerUsers(on.url, PAIRS),
  };
  await connectPairs(tokens);

  // Warm-up of both (JIT, pools, the fake's connections): not reported.
  await runPairs(WARMUP_MS);
  log('warmed up');

  const pids = { off: off.child.pid, on: on.child.pid };
  await Promise.all([off.probe('reset'), on.probe('reset')]);
  await fetch(`${fake.controlUrl}/timings`); // clears the warm-up's timings
  const cpuBefore = { off: cpuSeconds(pids.off), on: cpuSeconds(pids.on) };
  const machineBefore = machineTicks();
  const loadBefore = loadAverage();
  const wallStart = performance.now();
  const scraper = isControl
    ? undefined
    : startScraper(metricsUrl, SCRAPE_EVERY_MS, ownClock.offset);
  const pairs = (await runPairs(RUN_MS)).flat();
  await scraper?.stop();
  const wallS = (performance.now() - wallStart) / 1000;
  const cpu = {
    off: cpuSeconds(pids.off) - cpuBefore.off,
    on: cpuSeconds(pids.on) - cpuBefore.on,
  };
  const machineAfter = machineTicks();
  const machinePercent =
    ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100;
  const probes = {
    off: await off.probe('stats'),
    on: await on.probe('stats'),
  };
  const timings = (await (await fetch(`${fake.controlUrl}/timings`)).json()) as Timings;
  if (scraper && scraper.failures.length > 0)
    throw new Error(`scrapes failed: ${scraper.failures.join(', ')}`);

  const { kept, blockOf, firstToken, delta } = pairSamples(pairs, timings, BLOCK_MS, SLOTS[0]);
  if (kept < 20) throw new Error(`only ${kept} clean pairs of ${pairs.length}: too few`);
  const blocks = Math.max(...blockOf) + 1;
  log(
    `${pairs.length} pairs, ${kept} with both turns clean; bootstrapping over ${blocks} blocks ` +
      `of ${BLOCK_MS / 1000} s (2000 resamples)`,
  );
  const [ttft50, ttft99] = pairedDifference(
    blockOf,
    sortedSamples(firstToken.off),
    sortedSamples(firstToken.on),
    [0.5, 0.99],
  );
  const [delta50, delta99] = pairedDifference(
    blockOf,
    sortedSamples(delta.off),
    sortedSamples(delta.on),
    [0.5, 0.99],
  );
  // Per pair, on − off: how far apart two turns sent at the same instant land.
  const perPair = summarizeValues(
    firstToken.on.map((sample, i) => sample.value - firstToken.off[i]!.value),
  );

  const target = `p99 ≤ ${TARGET_ADDED_P99_MS} ms`;
  const rows: Row[] = [
    {
      metric: 'first token added p50: off → on, on − off [95 % CI]',
      measured: `${ms(ttft50!.off)} → ${ms(ttft50!.on)}, ${interval(ttft50!)}`,
      target: '',
    },
    {
      metric: 'first token added p99: off → on, on − off [95 % CI]',
      measured: `${ms(ttft99!.off)} → ${ms(ttft99!.on)}, ${interval(ttft99!)}`,
      target,
      verdict: pairedVerdict(ttft99!, TARGET_ADDED_P99_MS),
    },
    {
      metric: 'per delta added p50: off → on, on − off [95 % CI]',
      measured: `${ms(delta50!.off)} → ${ms(delta50!.on)}, ${interval(delta50!)}`,
      target: '',
    },
    {
      metric: 'per delta added p99: off → on, on − off [95 % CI]',
      measured: `${ms(delta99!.off)} → ${ms(delta99!.on)}, ${interval(delta99!)}`,
      target,
      verdict: pairedVerdict(delta99!, TARGET_ADDED_P99_MS),
    },
    {
      metric: 'first token, per pair on − off p50 / p99 (spread of a pair)',
      measured: `${ms(perPair.p50)} / ${ms(perPair.p99)}`,
      target: '',
    },
  ];
  const deltas = { off: delta.off.length, on: delta.on.length };
  // Each side served one turn per pair (kept or not); a turn is CHUNKS deltas and its start.
  const cpuPerTurnMs = {
    off: (cpu.off / pairs.length) * 1000,
    on: (cpu.on / pairs.length) * 1000,
  };
  const addedPerDeltaUs = ((cpu.on - cpu.off) / (pairs.length * (CHUNKS + 1))) * 1e6;
  rows.push(
    {
      metric: 'backend CPU per turn off / on (on − off)',
      measured:
        `${ms(cpuPerTurnMs.off)} / ${ms(cpuPerTurnMs.on)} ` +
        `(${(cpuPerTurnMs.on - cpuPerTurnMs.off).toFixed(2)} ms a turn, ` +
        `${addedPerDeltaUs.toFixed(1)} µs per event of ${CHUNKS + 1})`,
      target: 'work, not latency',
    },
    {
      metric: 'backend CPU off / on, % of a core; loop p99',
      measured:
        `${((cpu.off / wallS) * 100).toFixed(1)} / ${((cpu.on / wallS) * 100).toFixed(1)} %; ` +
        `${probes.off.loopDelayP99Ms.toFixed(1)} / ${probes.on.loopDelayP99Ms.toFixed(1)} ms`,
      target: '',
    },
    {
      metric: 'machine busy, load average before → after',
      measured: `${machinePercent.toFixed(0)} % of ${os.availableParallelism()} cores; ${loadBefore} → ${loadAverage()}`,
      target: '',
    },
  );
  if (scraper) {
    const scrapeMs = summarizeValues(scraper.samples.map((sample) => sample.ms));
    rows.push({
      metric: `scrapes (every ${SCRAPE_EVERY_MS / 1000} s): count, p50 / max, size`,
      measured: `${scraper.samples.length}, ${ms(scrapeMs.p50, 1)} / ${ms(scrapeMs.max, 1)}, ${Math.round((scraper.samples.at(-1)?.bytes ?? 0) / 1024)} KB`,
      target: '',
    });
  }
  console.log(
    `\nPaired, ${isControl ? 'CONTROL (both sides metrics off)' : 'metrics off vs on'}: ` +
      `slots ${SLOTS.join(', ')}; ${PAIRS} pairs for ${RUN_MS / 1000} s, ${kept} clean pairs (${deltas.off} + ${deltas.on} deltas), ` +
      `95 % intervals from ${blocks} blocks of ${BLOCK_MS / 1000} s`,
  );
  printTable(rows);
  console.log(
    'Verdict: met when the whole 95 % interval of on − off is ≤ 1 ms, missed when all of it is above.\n' +
      'The interval covers the noise over time only: a backend process can differ from its twin\n' +
      'by a few ms at p99 for a whole run (an A/A --control did), so confirm with --swap and\n' +
      '--control runs in the same conditions (bench/README.md, "Paired").',
  );

  const file = path.join(
    repoRoot,
    `bench/results/metrics-paired-${pgServerUrl ? 'postgres' : 'pglite'}${isControl ? '-control' : ''}.json`,
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        settings: {
          pairs: PAIRS,
          runMs: RUN_MS,
          scrapeEveryMs: SCRAPE_EVERY_MS,
          blockMs: BLOCK_MS,
          control: isControl,
          slots: SLOTS,
          database: pgServerUrl ? 'postgres' : 'pglite',
        },
        keptPairs: kept,
        firstToken: { p50: ttft50, p99: ttft99, perPair },
        delta: { p50: delta50, p99: delta99 },
        cpuSeconds: cpu,
        wallSeconds: wallS,
        probes,
        scrapes: scraper?.samples ?? [],
        rows: rows.map((row) => ({ ...row })),
      },
      null,
      2,
    ),
  );
  // The raw pairs, to analyse again (other blocks, other percentiles) without a rerun.
  writeFileSync(file.replace(/\.json$/, '-raw.json'), JSON.stringify({ pairs, timings }));
  console.log(`results: ${path.relative(repoRoot, file)} (raw pairs beside it)`);
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
