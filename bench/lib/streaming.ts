import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyseRun, type RunAnalysis, type RunInput } from './analysis.js';
import {
  cpuSeconds,
  machineTicks,
  type BackendProcess,
  type ClientWorker,
  type FakeProcess,
} from './processes.js';
import { CLASSIFICATION_ANSWER } from './protocol.js';
import type { RunResult } from './worker-messages.js';

/**
 * The streaming bench's load: each socket asks, reads a 90-chunk answer at 30 tokens a second,
 * and asks again. Shared by bench/run.ts and bench/metrics-full.ts.
 */

export const TOKENS_PER_SECOND = 30;
export const CHUNK_DELAY_MS = Math.round(1000 / TOKENS_PER_SECOND); // the fake sleeps before each chunk
export const CHUNKS = 90; // three seconds of answer per turn
export const TURN_TIMEOUT_MS = CHUNKS * CHUNK_DELAY_MS + 20_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The backend's settings for the bench: the fake as OpenAI, every limit lifted. */
export function benchBackendEnv(options: {
  fakeBaseUrl: string;
  dataDir: string;
  databaseUrl?: string | undefined;
}): Record<string, string> {
  return {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATA_DIR: options.dataDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    SERVE_STATIC: 'false',
    JWT_SECRET_KEY: 'bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    ACCESS_TOKEN_TTL: '2h',
    BCRYPT_ROUNDS: '4',
    BCRYPT_MAX_CONCURRENT: '4',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: options.fakeBaseUrl,
    OPENAI_API_KEY: 'sk-bench-fake',
    LLM_MAX_RETRIES: '0',
    LLM_CLASSIFICATION_TIMEOUT: '8s',
    CHAT_TURNS_PER_MINUTE: '1000000',
    CHAT_DAILY_TOKENS: '0',
    CHAT_WEEKLY_TOKENS: '0',
    MONTHLY_BUDGET_USD: '0',
    SOCKET_MAX_CONNECTIONS_PER_USER: '100',
  };
}

/** Every answer: `chunks` chunks, CHUNK_DELAY_MS apart; classification answers at once. */
export async function scriptFake(fake: FakeProcess, chunks: number): Promise<void> {
  const script = {
    chunks: Array.from({ length: chunks }, () => 'x'),
    chunkDelayMs: CHUNK_DELAY_MS,
    structured: CLASSIFICATION_ANSWER,
  };
  const response = await fetch(`${fake.url}/__fake/default`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(script),
  });
  if (!response.ok) throw new Error(`could not script the fake: ${response.status}`);
}

/** `count` students registered through the API; their access tokens. */
export async function registerUsers(backendUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = new Array(count);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const response = await fetch(`${backendUrl}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: `bench-${tag}-${i}@example.org`,
            username: `bench_${tag}_${i}`,
            password: 'a bench password that is long enough',
          }),
        });
        if (response.status !== 201) {
          throw new Error(`register ${i}: ${response.status} ${await response.text()}`);
        }
        tokens[i] = ((await response.json()) as { accessToken: string }).accessToken;
      }
    }),
  );
  return tokens;
}

/** Polls GET /health while a run goes on: the event-loop delay as an outside client feels it. */
function healthProbe(backendUrl: string, untilMs: number) {
  const samples: number[] = [];
  const done = (async () => {
    while (performance.now() < untilMs) {
      const before = performance.now();
      const ok = await fetch(`${backendUrl}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) samples.push(performance.now() - before);
      await delay(50);
    }
  })();
  return { samples, done };
}

export interface Rig {
  backend: BackendProcess;
  fake: FakeProcess;
  workers: ClientWorker[];
}

/** `clients` sockets (already connected in the workers) ask and read for `durationMs`. */
export async function loadRun(rig: Rig, clients: number, durationMs: number): Promise<RunAnalysis> {
  return analyseRun(await measureRun(rig, clients, durationMs));
}

/** loadRun's raw records, for a caller that pools several runs before analysing them. */
export async function measureRun(rig: Rig, clients: number, durationMs: number): Promise<RunInput> {
  const { backend, fake, workers } = rig;
  const pids = {
    backend: backend.child.pid,
    fake: fake.child.pid,
    workers: workers.map((worker) => worker.child.pid),
  };
  const cpuBefore = {
    backend: cpuSeconds(pids.backend),
    fake: cpuSeconds(pids.fake),
    self: cpuSeconds(process.pid),
    workers: pids.workers.map(cpuSeconds),
  };
  const machineBefore = machineTicks();
  await backend.probe('reset');
  await fetch(`${fake.controlUrl}/stats?reset=1`);
  await fetch(`${fake.controlUrl}/timings`); // clears timings of earlier runs
  const wallStart = performance.now();
  const health = healthProbe(backend.url, wallStart + durationMs);
  const results = await Promise.all(
    workers.map((worker, w) => {
      const share = Math.floor(clients / workers.length) + (w < clients % workers.length ? 1 : 0);
      return worker.request(
        {
          type: 'run',
          clients: share,
          durationMs,
          staggerMs: CHUNKS * CHUNK_DELAY_MS,
          chunks: CHUNKS,
          turnTimeoutMs: TURN_TIMEOUT_MS,
        },
        'ran',
        durationMs + TURN_TIMEOUT_MS + 30_000,
      );
    }),
  );
  const wallMs = performance.now() - wallStart;
  const machineAfter = machineTicks();
  await health.done;
  const backendStats = await backend.probe('stats');
  const fakeStats = (await (await fetch(`${fake.controlUrl}/stats`)).json()) as {
    loopDelayP99Ms: number;
  };
  const timings = (await (await fetch(`${fake.controlUrl}/timings`)).json()) as Record<
    string,
    { classifyAt?: number; answerAt?: number; firstChunkAt?: number }
  >;
  const cpuPercent = (before: number, pid: number | undefined) =>
    ((cpuSeconds(pid) - before) / (wallMs / 1000)) * 100;
  const machine =
    ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100;
  const ours =
    cpuPercent(cpuBefore.backend, pids.backend) +
    cpuPercent(cpuBefore.fake, pids.fake) +
    cpuPercent(cpuBefore.self, process.pid) +
    pids.workers.reduce<number>((sum, pid, i) => sum + cpuPercent(cpuBefore.workers[i]!, pid), 0);
  return {
    clients,
    tokensPerSecond: TOKENS_PER_SECOND,
    results: results as RunResult[],
    timings,
    backend: backendStats,
    fakeLoopDelayP99Ms: fakeStats.loopDelayP99Ms,
    healthMs: health.samples,
    cpuPercent: {
      backend: cpuPercent(cpuBefore.backend, pids.backend),
      fake: cpuPercent(cpuBefore.fake, pids.fake),
      machine,
      // Everything else on the machine (other people's tests, builds, a PostgreSQL server), in
      // % of one core: high figures mean the run was disturbed and its latencies are too high.
      others: Math.max(0, machine * os.availableParallelism() - ours),
      clients: pids.workers.reduce<number>(
        (sum, pid, i) => sum + cpuPercent(cpuBefore.workers[i]!, pid),
        0,
      ),
    },
  };
}
