import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RunResult, WorkerReply, WorkerRequest } from './worker-messages.js';

/** Starting, talking to and stopping the bench's child processes. */

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The newest modification time under a folder (ignoring tests), to spot a stale build. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (!/\.test\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Returns a warning when the build looks older than the sources; exits when there is none. */
export function checkBuild(): string | undefined {
  const main = path.join(repoRoot, 'backend/dist/main.js');
  const contracts = path.join(repoRoot, 'contracts/dist/index.js');
  if (!existsSync(main) || !existsSync(contracts)) {
    console.error('The bench runs the built backend: run `npm run build` at the repo root first.');
    process.exit(1);
  }
  const built = Math.min(statSync(main).mtimeMs, statSync(contracts).mtimeMs);
  const sources = Math.max(
    newestSource(path.join(repoRoot, 'backend/src')),
    newestSource(path.join(repoRoot, 'contracts/src')),
  );
  return sources > built
    ? 'backend/dist is older than backend/src or contracts/src: `npm run build` for current figures'
    : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** CPU seconds a process has used so far (user + system), from /proc. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in 1/100 s ticks
  } catch {
    return NaN;
  }
}

/** Busy and total CPU time of the whole machine so far (all cores, 1/100 s ticks). */
export function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export function rssKb(pid: number | undefined): number {
  if (!pid) return NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

export interface FakeProcess {
  child: ChildProcess;
  baseUrl: string;
  url: string;
  controlUrl: string;
  /** The timing every call gets (FAKE_TIMING=realistic), or null for none. */
  timing: { firstTokenMs: number; perTokenMs: number } | null;
}

export async function startFake(env: Record<string, string> = {}): Promise<FakeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fake-provider.ts'], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fake provider did not start')), 20_000);
    createInterface({ input: child.stdout! }).once('line', (text) => {
      clearTimeout(timer);
      resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`the fake provider exited (${code})`)));
  });
  return { child, ...(JSON.parse(line) as Omit<FakeProcess, 'child'>) };
}

export interface ProbeSnapshot {
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  cpuPercent: number;
  /** Statements sent to PostgreSQL since the last reset (0 on PGlite). */
  sqlStatements: number;
  rssKb: number;
  heapUsedKb: number;
  externalKb: number;
  /** Garbage collection pauses since the last reset, by kind (minor = scavenge). */
  gc: Record<string, { count: number; totalMs: number; maxMs: number }>;
}

export interface BackendProcess {
  child: ChildProcess;
  url: string;
  logFile: string;
  probe(type: 'reset' | 'stats' | 'gc'): Promise<ProbeSnapshot>;
}

export async function startBackend(
  env: Record<string, string>,
  logFile: string,
): Promise<BackendProcess> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      // BENCH_BACKEND_NODE_FLAGS: extra V8/Node flags for the backend (e.g. a GC setting to try).
      ...(process.env.BENCH_BACKEND_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []),
      // BENCH_CPU_PROF=1: a V8 CPU profile of the backend lands in bench/results/ (hot spots).
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(repoRoot, 'bench/results')}`]
        : []),
      '--import',
      './bench/backend-probe.mjs',
      'backend/dist/main.js',
    ],
    {
      cwd: repoRoot,
      // DATABASE_URL empty: a repo-root .env (which main.ts loads) must not point the bench at
      // a real database; empty means "not set" to the config.
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: '', ...env, PORT: String(port) },
      stdio: ['ignore', log, log, 'ipc'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`the backend exited during start; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`the backend did not become ready; see ${logFile}`);
    const ready = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // One request at a time: each answer is the next 'probe' message.
  let chain: Promise<unknown> = Promise.resolve();
  const probe = (type: 'reset' | 'stats' | 'gc') => {
    const next = chain.then(
      () =>
        new Promise<ProbeSnapshot>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('backend probe timed out')), 10_000);
          child.once('message', (message) => {
            clearTimeout(timer);
            resolve(message as ProbeSnapshot);
          });
          child.send({ type });
        }),
    );
    chain = next.catch(() => undefined);
    return next;
  };
  return { child, url, logFile, probe };
}

export interface ClientWorker {
  child: ChildProcess;
  request<T extends WorkerReply['type']>(
    message: WorkerRequest,
    expect: T,
    timeoutMs: number,
  ): Promise<Extract<WorkerReply, { type: T }>>;
}

export function startWorker(): ClientWorker {
  const child = fork(path.join(repoRoot, 'bench/client-worker.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    child,
    request: (message, expect, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`client worker: no '${expect}' within ${timeoutMs} ms`)),
          timeoutMs,
        );
        child.once('message', (reply: WorkerReply) => {
          clearTimeout(timer);
          if (reply.type === expect)
            resolve(reply as Extract<WorkerReply, { type: typeof expect }>);
          else reject(new Error(`client worker: ${JSON.stringify(reply).slice(0, 300)}`));
        });
        child.send(message);
      }),
  };
}

export type { RunResult };

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stop(child: ChildProcess | undefined, graceMs = 5_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
