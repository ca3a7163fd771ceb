import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  checkBuild,
  repoRoot,
  startBackend,
  startFake,
  startWorker,
  stop,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
} from './lib/processes.js';
import type { RunAnalysis } from './lib/analysis.js';
import { printTable, writeChart, type Row } from './lib/report.js';
import { round } from './lib/stats.js';
import {
  benchBackendEnv,
  CHUNK_DELAY_MS,
  CHUNKS,
  loadRun as loadRunOn,
  registerUsers,
  scriptFake,
  TOKENS_PER_SECOND,
} from './lib/streaming.js';
import { createThrowawayDatabase, DEFAULT_SERVER_URL } from './lib/database.js';

/**
 * Hintbook's streaming benchmark: one built backend (PGlite) behind a fake OpenAI server in its
 * own process, driven by socket.io clients in two worker processes. See bench/README.md.
 *   node --import tsx bench/run.ts [--quick]
 */

const quick = process.argv.includes('--quick');
// Course retrieval off (RETRIEVAL_TOKEN_BUDGET=0): what retrieval adds to the first token.
const noRetrieval = process.argv.includes('--no-retrieval');
const pgArgument = process.argv.find((arg) => arg === '--pg' || arg.startsWith('--pg='));
const pgServerUrl = pgArgument ? pgArgument.slice(5) || DEFAULT_SERVER_URL : undefined;
const WORKERS = 2;

const plan = quick
  ? { idleSockets: 300, latencyMs: 6_000, levels: [100, 300, 500], levelMs: 5_000, capMs: 70_000 }
  : {
      idleSockets: 1_000,
      latencyMs: 20_000,
      levels: [100, 200, 300, 500, 700, 1_000, 1_500, 2_000],
      levelMs: 10_000,
      capMs: 330_000,
    };
const TARGETS = {
  ttftAddedP99Ms: 15,
  deltaAddedP99Ms: 5,
  streams: 500,
  loopDelayP99Ms: 50,
  kbPerSocket: 25,
};

const startedAt = performance.now();
const elapsed = () => performance.now() - startedAt;
const log = (message: string) => console.log(`[${(elapsed() / 1000).toFixed(1)}s] ${message}`);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let fake: FakeProcess | undefined;
let backend: BackendProcess | undefined;
const workers: ClientWorker[] = [];
let tempDir: string | undefined;
let database: { url: string; drop: () => Promise<void> } | undefined;

async function cleanup() {
  await Promise.all(workers.map((worker) => stop(worker.child, 2_000)));
  await stop(backend?.child, 12_000);
  await stop(fake?.child, 2_000);
  await database?.drop().catch((error: unknown) => console.error('could not drop', error));
  // BENCH_KEEP=1 keeps the database and the backend's log for a look afterwards.
  if (tempDir && !process.env.BENCH_KEEP) rmSync(tempDir, { recursive: true, force: true });
}

/** Sockets are dealt to the workers round-robin; `connected` counts what each already holds. */
const connected = Array.from({ length: WORKERS }, () => 0);
async function ensureSockets(tokens: string[], total: number) {
  const replies = await Promise.all(
    workers.map((worker, w) => {
      const want = Math.floor(total / WORKERS) + (w < total % WORKERS ? 1 : 0);
      const mine = tokens.filter((_, i) => i % WORKERS === w).slice(connected[w], want);
      connected[w] = Math.max(connected[w]!, want);
      return worker.request(
        { type: 'connect', url: backend!.url, tokens: mine },
        'connected',
        180_000,
      );
    }),
  );
  const failures = replies.reduce((sum, reply) => sum + reply.failures, 0);
  if (failures > 0) throw new Error(`${failures} sockets could not connect`);
}

const loadRun = (clients: number, durationMs: number) =>
  loadRunOn({ backend: backend!, fake: fake!, workers }, clients, durationMs);

async function main() {
  const buildWarning = checkBuild();
  if (buildWarning) console.warn(`warning: ${buildWarning}`);
  const hardStop = setTimeout(() => {
    console.error('bench: hard time limit reached, stopping');
    void cleanup().finally(() => process.exit(2));
  }, plan.capMs + 120_000);
  hardStop.unref();

  tempDir = mkdtempSync(path.join(os.tmpdir(), 'hintbook-bench-'));
  fake = await startFake();
  log(`fake OpenAI at ${fake.baseUrl}`);
  const logFile = path.join(tempDir, 'backend.log');
  if (pgServerUrl) database = await createThrowawayDatabase(pgServerUrl);
  log(`database: ${database ? `PostgreSQL ${new URL(database.url).host}` : 'PGlite (embedded)'}`);
  backend = await startBackend(
    {
      ...benchBackendEnv({
        fakeBaseUrl: fake.baseUrl,
        dataDir: path.join(tempDir, 'data'),
        databaseUrl: database?.url,
      }),
      ...(noRetrieval ? { RETRIEVAL_TOKEN_BUDGET: '0' } : {}),
    },
    logFile,
  );
  log(`backend at ${backend.url} (pid ${backend.child.pid}, log ${logFile})`);
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

  const users = Math.max(plan.idleSockets, ...plan.levels);
  const registerStart = performance.now();
  const tokens = await registerUsers(backend.url, users);
  const registerMs = performance.now() - registerStart;
  log(`registered ${users} users in ${(registerMs / 1000).toFixed(1)} s`);

  // C first, on a backend that has never held a socket: freed pages would hide growth later.
  await delay(2_000);
  const memBefore = await backend.probe('gc');
  await ensureSockets(tokens, plan.idleSockets);
  await delay(3_000);
  const memAfter = await backend.probe('gc');
  const memory = {
    sockets: plan.idleSockets,
    rssBeforeKb: memBefore.rssKb,
    rssAfterKb: memAfter.rssKb,
    rssKbPerSocket: (memAfter.rssKb - memBefore.rssKb) / plan.idleSockets,
    heapKbPerSocket: (memAfter.heapUsedKb - memBefore.heapUsedKb) / plan.idleSockets,
    externalKbPerSocket: (memAfter.externalKb - memBefore.externalKb) / plan.idleSockets,
    /**
     * RSS can grow less than the heap when the sockets reuse pages freed after registration,
     * so the verdict uses the larger of RSS Δ and (heap + external) Δ.
     */
    judgedKbPerSocket: 0,
  };
  memory.judgedKbPerSocket = Math.max(
    memory.rssKbPerSocket,
    memory.heapKbPerSocket + memory.externalKbPerSocket,
  );
  log(`C: ${plan.idleSockets} idle sockets: ${memory.rssKbPerSocket.toFixed(1)} KB RSS each`);

  // Warm-up (JIT, pools, the fake's first connections): measured but not reported.
  await loadRun(20, 3_000);
  log('A: 100 concurrent streams');
  const latency = await loadRun(100, plan.latencyMs);
  log(`A: ${latency.turns.ok}/${latency.turns.total} turns clean`);

  const levels: RunAnalysis[] = [];
  for (const level of plan.levels) {
    if (elapsed() + plan.levelMs + CHUNKS * CHUNK_DELAY_MS + 2_000 > plan.capMs) {
      log(`B: time cap reached before ${level} streams`);
      break;
    }
    await ensureSockets(tokens, level);
    await delay(1_000);
    const result = await loadRun(level, plan.levelMs);
    levels.push(result);
    log(
      `B: ${level} streams: ${result.verdict.held ? 'held' : 'NOT held'} ` +
        `(${result.verdict.reasons.join('; ') || 'clean'})`,
    );
    if (!result.verdict.held) break;
  }
  await report({ memory, latency, levels, registerMs, clockRtts: clocks.map((c) => c.rtt) });
}

async function report(figures: {
  memory: Record<string, number>;
  latency: RunAnalysis;
  levels: RunAnalysis[];
  registerMs: number;
  clockRtts: number[];
}) {
  const { memory, latency, levels } = figures;
  const held = levels.filter((level) => level.verdict.held).at(-1)?.clients ?? 0;
  const stoppedBy = levels.find((level) => !level.verdict.held);
  const benchLimited = levels.some((level) => level.verdict.benchLimited);
  const ms = (value: number | undefined) => `${round(value ?? NaN, 1)} ms`;
  const trio = (s: { p50: number; p95: number; p99: number }) =>
    `p50 ${round(s.p50, 1)} / p95 ${round(s.p95, 1)} / p99 ${round(s.p99, 1)} ms`;
  const rows: Row[] = [
    {
      metric: 'TTFT added by Hintbook @100 (send→1st delta − provider time)',
      measured: trio(latency.ttft.added),
      target: `p99 ≤ ${TARGETS.ttftAddedP99Ms} ms`,
      pass: latency.ttft.added.p99 <= TARGETS.ttftAddedP99Ms,
    },
    {
      metric: '  of which first chunk pass-through (fake wrote → client got)',
      measured: trio(latency.ttft.pipe),
      target: `p99 ≤ ${TARGETS.ttftAddedP99Ms} ms`,
      pass: latency.ttft.pipe.p99 <= TARGETS.ttftAddedP99Ms,
    },
    {
      metric: '  of which before the answer call (store, classify, context)',
      measured: trio(latency.ttft.beforeAnswerCall),
      target: '—',
    },
    {
      metric: '  total send→first delta (incl. fake’s 33 ms first chunk)',
      measured: trio(latency.ttft.total),
      target: '—',
    },
    {
      metric: 'Per-delta added latency @100 (fake wrote → client got)',
      measured: trio(latency.deltaAdded),
      target: `p99 ≤ ${TARGETS.deltaAddedP99Ms} ms`,
      pass: latency.deltaAdded.p99 <= TARGETS.deltaAddedP99Ms,
    },
    {
      metric: 'Backend event-loop delay @100',
      measured:
        `p99 ${ms(latency.backend.loopDelayP99Ms)}, backend CPU ${round(latency.cpuPercent.backend, 0)} % ` +
        `of a core, machine ${round(latency.cpuPercent.machine, 0)} % busy ` +
        `(others ${round(latency.cpuPercent.others, 0)} % of a core)`,
      target: `p99 < ${TARGETS.loopDelayP99Ms} ms`,
      pass: latency.backend.loopDelayP99Ms < TARGETS.loopDelayP99Ms,
    },
    {
      metric: `Concurrent streams at ${TOKENS_PER_SECOND} tok/s held (no lost deltas, loop p99 < 50 ms)`,
      measured:
        `${held}` +
        (stoppedBy
          ? ` (${stoppedBy.clients} failed: ${stoppedBy.verdict.reasons.join('; ')})`
          : ' (highest level tried)') +
        (benchLimited ? ' [bench-limited]' : ''),
      target: `≥ ${TARGETS.streams}`,
      pass: held >= TARGETS.streams,
    },
    {
      metric: '  highest level held whose TTFT added p99 stayed ≤ 1 s',
      measured: `${
        levels.filter((level) => level.verdict.held && level.ttft.added.p99 <= 1_000).at(-1)
          ?.clients ?? 0
      }`,
      target: '—',
    },
    {
      metric: `Memory per idle authenticated socket (${memory.sockets} sockets)`,
      measured:
        `${round(memory.judgedKbPerSocket!, 1)} KB (RSS Δ ${round(memory.rssKbPerSocket!, 1)}, ` +
        `heap Δ ${round(memory.heapKbPerSocket!, 1)}, external Δ ${round(memory.externalKbPerSocket!, 1)})`,
      target: `≤ ${TARGETS.kbPerSocket} KB`,
      pass: memory.judgedKbPerSocket! <= TARGETS.kbPerSocket,
    },
  ];
  console.log('');
  printTable(rows);
  console.log('');
  console.log('Ramp (B):');
  printTable(
    levels.map((level) => ({
      metric: `${level.clients} streams`,
      measured:
        `${level.turns.ok}/${level.turns.total} clean, ${round(level.tokensPerSecond.mean, 1)} tok/s, ` +
        `loop p99 ${ms(level.backend.loopDelayP99Ms)}, /health p99 ${ms(level.health.p99)}, ` +
        `Δdelta p99 ${ms(level.deltaAdded.p99)}, +TTFT p99 ${ms(level.ttft.added.p99)}, ` +
        `CPU backend/fake/clients ${round(level.cpuPercent.backend, 0)}/${round(level.cpuPercent.fake, 0)}/` +
        `${round(level.cpuPercent.clients, 0)} % of a core, machine ${round(level.cpuPercent.machine, 0)} % ` +
        `busy (others ${round(level.cpuPercent.others, 0)} % of a core), client loop p99 ${ms(level.clientLoopDelayP99Ms)}`,
      target: level.verdict.benchLimited ? 'bench-limited' : '',
      pass: level.verdict.held,
    })),
  );

  const resultsDir = path.join(repoRoot, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const machine = {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  const settings = {
    quick,
    database: database ? 'postgres' : 'pglite',
    TOKENS_PER_SECOND,
    CHUNKS,
    CHUNK_DELAY_MS,
    WORKERS,
    plan,
  };
  writeFileSync(
    path.join(resultsDir, 'latest.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        settings,
        targets: TARGETS,
        summary: rows,
        memory,
        latency: { ...latency, problems: latency.problems.slice(0, 20) },
        levels: levels.map((level) => ({ ...level, problems: level.problems.slice(0, 20) })),
        registerMs: figures.registerMs,
        clockRttsMs: figures.clockRtts,
        durationS: round(elapsed() / 1000, 1),
      },
      null,
      2,
    )}\n`,
  );
  writeChart(path.join(resultsDir, 'latest.svg'), latency, levels, TARGETS);
  const noisy = [latency, ...levels].filter((run) => run.cpuPercent.others > 25);
  if (noisy.length > 0) {
    console.log(
      `\nwarning: other processes used > 25 % of a core during ${noisy.length} run(s) ` +
        `(at ${noisy.map((run) => run.clients).join(', ')} streams); rerun on a quiet machine.`,
    );
  }
  console.log(`\nRaw figures: bench/results/latest.json, chart: bench/results/latest.svg`);
  console.log(
    `${settings.database}, ${machine.nproc} cores, Node ${machine.node}, ${round(elapsed() / 1000, 0)} s`,
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
