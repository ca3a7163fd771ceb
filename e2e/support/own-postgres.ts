/**
 * A PostgreSQL cluster of a test's own (initdb into a temp folder, a free port on 127.0.0.1),
 * so the test may stop and restart it; the shared server is never touched. Debian's binaries
 * (/usr/lib/postgresql/<newest>/bin, package `postgresql`; POSTGRES_BIN_DIR overrides). Run as
 * root, the server runs as `postgres`, since PostgreSQL refuses to run as root.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './nginx.js';

const execFileAsync = promisify(execFile);

export interface OwnPostgres {
  /** Superuser URL of the `postgres` database (trust authentication on loopback). */
  url: string;
  /** The URL of another database on this server. */
  databaseUrl(database: string): string;
  psql(database: string, sql: string): Promise<string>;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: clients are disconnected, as in a real restart. */
  stop(): Promise<void>;
  /** Stops, waits `downMs`, starts again. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server (immediate) and removes its folder; safe to call twice. */
  destroy(): Promise<void>;
}

const USER = 'hintbook';

export function postgresBinDir(): string | null {
  if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length > 0 ? path.join(root, versions.at(-1)!, 'bin') : null;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error('no PostgreSQL server binaries (Debian package: postgresql)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-chaos-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    await chown(dir, uid, uid);
  }
  await chmod(dir, 0o700);
  const asServer = (command: string, args: string[]) =>
    isRoot
      ? execFileAsync('runuser', ['-u', 'postgres', '--', path.join(binDir, command), ...args])
      : execFileAsync(path.join(binDir, command), args);

  const port = await freePort();
  await asServer('initdb', [
    '-D',
    dataDir,
    '-U',
    USER,
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const options = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    // Durability is not what these tests are about; speed on a shared machine is.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=60',
  ].join(' ');
  let isRunning = false;
  // pg_ctl leaves the server running on its own: if the test process dies first, stop it too.
  const stopOnExit = () => {
    if (!isRunning) return;
    const args = ['stop', '-m', 'immediate', '-D', dataDir];
    try {
      if (isRoot)
        execFileSync('runuser', ['-u', 'postgres', '--', path.join(binDir, 'pg_ctl'), ...args]);
      else execFileSync(path.join(binDir, 'pg_ctl'), args);
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', stopOnExit);
  const start = async () => {
    await asServer('pg_ctl', [
      'start',
      '-w',
      '-t',
      '30',
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      options,
    ]);
    isRunning = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!isRunning) return;
    await asServer('pg_ctl', ['stop', '-w', '-t', '30', '-m', mode, '-D', dataDir]);
    isRunning = false;
  };
  await start();

  const url = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  const databaseUrl = (database: string) => `postgres://${USER}@127.0.0.1:${port}/${database}`;
  return {
    url,
    databaseUrl,
    psql: async (database, sql) => {
      const { stdout } = await execFileAsync('psql', [
        '--no-psqlrc',
        '-X',
        '-q',
        '-t',
        '-A',
        '-v',
        'ON_ERROR_STOP=1',
        '-d',
        databaseUrl(database),
        '-c',
        sql,
      ]);
      return stdout.trim();
    },
    start,
    stop: () => stop('fast'),
    async restart(downMs = 0) {
      await stop('fast');
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async destroy() {
      process.off('exit', stopOnExit);
      await stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
