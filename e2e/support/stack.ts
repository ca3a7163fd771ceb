/**
 * The real Hintbook stack for browser tests: the built backend (`node backend/dist/main.js`) on
 * a loopback port, behind nginx rendered from the repository's own templates (`startNginx` in
 * test mode), serving the built SPA from frontend/dist. The database is a fresh embedded PGlite
 * folder, or a throwaway database on a real server when TEST_DATABASE_URL is set.
 *
 * The stack never builds anything: run `npm run build` first. Building inside a test hook would
 * hide a slow step and race with a build running beside it; instead a missing or stale build
 * (sources newer than their output) stops the suite with the command to run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { request } from './http.js';
import { freePort, repoRoot, startNginx, type RunningNginx } from './nginx.js';

export interface StartStackOptions {
  /** ADMIN_EMAIL for the backend (comma-separated list); default none. */
  adminEmail?: string;
  /** Extra or overriding backend variables, e.g. LLM_PROVIDER and OPENAI_BASE_URL of a fake. */
  env?: Record<string, string>;
  /** Extra NGINX_* variables for render.sh. */
  nginxEnv?: Record<string, string>;
  /** Built SPA folder; default frontend/dist. */
  spaDir?: string;
  /** Built JupyterLite folder; default jupyterlite/dist (it need not exist). */
  jupyterliteDir?: string;
  /** nginx's port, chosen before the backend starts (see `reservePublicUrl`). */
  nginxPort?: number;
}

export interface Stack {
  /** nginx, the address the browser uses: http://127.0.0.1:<port>. */
  baseUrl: string;
  /** The backend directly, bypassing nginx (for setup calls and log-free health checks). */
  backendUrl: string;
  /** `pglite` (a temp DATA_DIR) or `postgres` (a throwaway database on TEST_DATABASE_URL). */
  database: 'pglite' | 'postgres';
  /** Backend stdout/stderr and nginx's error log so far. */
  logs(): string;
  /**
   * Runs the operator's shell command (`npm run admin -- …`, built) with the backend's settings
   * and database, as an operator would beside the running server. PostgreSQL only: the embedded
   * database may not be opened by two processes.
   */
  adminCommand(args: string[]): Promise<{ code: number; output: string }>;
  /** Stops nginx and the backend and removes the database; safe to call twice. */
  stop(): Promise<void>;
}

const BACKEND_START_TIMEOUT_MS = 30_000;
const LOG_LIMIT = 512 * 1024;

/** Starts database, backend and nginx; on failure prints their logs and cleans up. */
export async function startStack(options: StartStackOptions = {}): Promise<Stack> {
  await assertBuildIsFresh();
  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => console.error('stack cleanup failed:', error));
    }
  };
  let backend: BackendProcess | undefined;
  let nginx: RunningNginx | undefined;
  const logs = () =>
    [
      '--- backend (stdout + stderr) ---',
      backend?.output() || '(nothing)',
      '--- nginx error log ---',
      nginx?.errorLog() || '(nothing)',
    ].join('\n');

  try {
    const database = await createDatabase();
    cleanups.push(database.drop);

    const port = await freePort();
    const backendEnv = {
      ...database.env,
      ADMIN_EMAIL: options.adminEmail ?? '',
      ...options.env,
    };
    backend = startBackend(port, backendEnv);
    cleanups.push(backend.stop);
    const backendUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(`${backendUrl}/api/health`, backend);

    nginx = await startNginx({
      mode: 'test',
      upstreamPort: port,
      spaDir: options.spaDir,
      jupyterliteDir: options.jupyterliteDir,
      env: options.nginxEnv,
      httpPort: options.nginxPort,
    });
    const running = nginx;
    const forgetNginx = stopOnExit(() => killNginx(running));
    cleanups.push(async () => {
      forgetNginx();
      await running.stop();
    });
    await waitForHealth(`${nginx.url}/api/health`, backend);

    return {
      baseUrl: nginx.url,
      backendUrl,
      database: database.kind,
      logs,
      adminCommand: (args) =>
        runAdminCommand(database.kind, backendEnvironment(port, backendEnv), args),
      stop: runCleanups,
    };
  } catch (error) {
    console.error(`The e2e stack did not start.\n${logs()}`);
    await runCleanups();
    throw error;
  }
}

/**
 * A port for nginx and the URL the browser will use, known before the stack starts: for settings
 * that must name the public address (PUBLIC_URL, an identity provider's redirect URI).
 */
export async function reservePublicUrl(): Promise<{ nginxPort: number; url: string }> {
  const nginxPort = await freePort();
  return { nginxPort, url: `http://127.0.0.1:${nginxPort}` };
}

interface TestDatabase {
  kind: 'pglite' | 'postgres';
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** Same choice as the backend's own tests (backend/src/test/database.ts). */
async function createDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-e2e-data-'));
    return {
      kind: 'pglite',
      env: { DATA_DIR: dataDir },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `hintbook_e2e_${randomBytes(6).toString('hex')}`;
  await runOnServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // DATA_DIR still gets a scratch folder so nothing is ever written into the repository.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-e2e-data-'));
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    async drop() {
      await runOnServer(serverUrl, `drop database if exists ${name} with (force)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Through psql, like the ops suites, so the e2e workspace needs no database driver. */
async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  await promisify(execFile)('psql', [
    '--no-psqlrc',
    '-X',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '-d',
    serverUrl,
    '-c',
    statement,
  ]);
}

export interface BackendProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM (the backend drains), SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
  /** Signals its whole process group at once (`SIGKILL`: a crash, nothing cleaned up). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** The built backend on `env.HOST` (default 127.0.0.1) and `port`, in its own process group. */
export function startBackend(port: number, env: Record<string, string>): BackendProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, 'backend', 'dist', 'main.js')], {
    cwd: repoRoot,
    env: backendEnvironment(port, env),
    // Its own process group, so stop() reaches anything it spawns.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: string) => {
    output = (output + chunk).slice(-LOG_LIMIT);
  };
  child.stdout?.setEncoding('utf8').on('data', append);
  child.stderr?.setEncoding('utf8').on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const forget = stopOnExit(() => signalGroup(child.pid, 'SIGKILL'));

  return {
    child,
    output: () => output,
    async stop(graceMs = 5_000) {
      forget();
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill(signal) {
      forget();
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child.pid, signal);
      await exited;
    },
  };
}

/**
 * A clean environment, not the test runner's: only what a server needs plus the test settings.
 * main.ts also loads a repository-root .env for `npm start`; every variable it defines is set
 * empty here (the backend reads empty as unset), so a developer's .env cannot point the tests
 * at their own database or LLM account.
 */
function backendEnvironment(port: number, env: Record<string, string>): NodeJS.ProcessEnv {
  const dotEnv = path.join(repoRoot, '.env');
  const shadowed = existsSync(dotEnv)
    ? Object.fromEntries(Object.keys(parseEnv(readFileSync(dotEnv, 'utf8'))).map((k) => [k, '']))
    : {};
  const inherited = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((key) => process.env[key]);
  return {
    ...shadowed,
    ...Object.fromEntries(inherited.map((key) => [key, process.env[key]])),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SERVE_STATIC: 'false',
    TRUST_PROXY: '1',
    BCRYPT_ROUNDS: '4',
    JWT_SECRET_KEY: randomBytes(48).toString('base64url'),
    // nginx's test mode lifts its own auth limit too; the limits are tested on their own.
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    ...env,
  };
}

async function runAdminCommand(
  kind: TestDatabase['kind'],
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<{ code: number; output: string }> {
  if (kind !== 'postgres') throw new Error('adminCommand needs TEST_DATABASE_URL (PostgreSQL)');
  const cli = path.join(repoRoot, 'backend', 'dist', 'modules', 'users', 'admin.cli.js');
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env, stdio: 'pipe' });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number>((resolve) =>
    child.once('exit', (exit) => resolve(exit ?? 1)),
  );
  return { code, output };
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

// If the test process dies before stop() (a crash, Ctrl-C), take the servers down with it.
const onExit = new Set<() => void>();
let isExitHookInstalled = false;

/** Runs `kill` (synchronously) if the process exits first; returns a function that cancels it. */
function stopOnExit(kill: () => void): () => void {
  onExit.add(kill);
  if (!isExitHookInstalled) {
    isExitHookInstalled = true;
    process.once('exit', () => onExit.forEach((callback) => callback()));
  }
  return () => onExit.delete(kill);
}

/** nginx's master stops its workers on SIGTERM; its pid is in the file startNginx asks for. */
function killNginx(nginx: RunningNginx): void {
  try {
    const pid = Number(readFileSync(path.join(nginx.dir, 'nginx.pid'), 'utf8'));
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    // Stopped already.
  }
}

export async function waitForHealth(url: string, backend: BackendProcess): Promise<void> {
  const deadline = Date.now() + BACKEND_START_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = backend.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`the backend exited (${exitCode ?? signalCode}) before ${url} answered`);
    }
    try {
      const response = await request(url);
      if (response.status === 200) return;
      last = `${response.status} ${response.text.slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${url} did not answer 200 within ${BACKEND_START_TIMEOUT_MS} ms (last: ${last})`,
  );
}

// What each build output is made from; tests (*.test.*) are not part of any build.
const builds = [
  {
    output: 'contracts/dist',
    sources: ['contracts/src'],
  },
  {
    output: 'backend/dist',
    sources: ['backend/src', 'contracts/src'],
  },
  {
    output: 'frontend/dist',
    sources: ['frontend/src', 'frontend/public', 'frontend/index.html', 'contracts/src'],
  },
];

/** Fails with the command to run when a build output is missing or older than its sources. */
export async function assertBuildIsFresh(): Promise<void> {
  if (process.env.HINTBOOK_E2E_SKIP_BUILD_CHECK === '1') return;
  const problems: string[] = [];
  for (const build of builds) {
    const output = await newestFile(path.join(repoRoot, build.output));
    if (!output) {
      problems.push(`${build.output} is missing`);
      continue;
    }
    for (const source of build.sources) {
      const newest = await newestFile(path.join(repoRoot, source));
      if (newest && newest.mtimeMs > output.mtimeMs) {
        problems.push(`${build.output} is older than ${path.relative(repoRoot, newest.file)}`);
        break;
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `The browser tests run the built app, and the build is not current:\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        `\nRun \`npm run build\` in the repository root, then run the tests again.` +
        ` (HINTBOOK_E2E_SKIP_BUILD_CHECK=1 skips this check.)`,
    );
  }
}

async function newestFile(target: string): Promise<{ file: string; mtimeMs: number } | null> {
  const info = await stat(target).catch(() => null);
  if (!info) return null;
  if (!info.isDirectory()) return { file: target, mtimeMs: info.mtimeMs };
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    // Test files and test-only folders (src/test) are excluded from every build.
    if (['node_modules', 'test'].includes(entry.name)) continue;
    if (/\.test\.[cm]?tsx?$/.test(entry.name)) continue;
    const candidate = await newestFile(path.join(target, entry.name));
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}
