/**
 * Point-in-time recovery on loopback: an S3-compatible bucket on TLS (scripts/s3-test-server.sh)
 * and PostgreSQL clusters of our own (Debian's binaries, initdb in a temp folder, a free port),
 * never the shared server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './nginx.js';

const execFileAsync = promisify(execFile);
const postgresBin = process.env.HINTBOOK_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined));
      socket.on('error', () => resolve(false));
    });
    if (isOpen) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** PostgreSQL refuses to run as root: as root, commands run as the postgres user. */
export async function runAsPostgres(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, fileArgs] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', 'env', ...toAssignments(env), command, ...args]]
    : [command, args];
  try {
    const { stdout, stderr } = await execFileAsync(file, fileArgs, {
      env: { PATH: `${postgresBin}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function toAssignments(env: Record<string, string>): string[] {
  return [`PATH=${postgresBin}:${process.env.PATH ?? '/usr/bin:/bin'}`].concat(
    Object.entries(env).map(([name, value]) => `${name}=${value}`),
  );
}

/** A folder the postgres user can use, under the OS temp folder. */
export async function postgresOwnedDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (isRoot) {
    const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    await chown(dir, uid, uid);
  }
  return dir;
}

export interface S3Bucket {
  /** PGBACKREST_* settings for a repository in this bucket. */
  repositoryEnv: Record<string, string>;
  stop: () => void;
}

/** moto's S3 on TLS for "localhost" (pgBackRest checks the name), with one bucket made. */
export async function startS3Bucket(workDir: string, bucket: string): Promise<S3Bucket> {
  const cert = path.join(workDir, 's3-cert.pem');
  const key = path.join(workDir, 's3-key.pem');
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-nodes',
    '-newkey',
    'rsa:2048',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  await execFileAsync('chmod', ['644', cert, key]);
  const port = await freePort();
  const server: ChildProcess = spawn(
    path.join(repoRoot, 'scripts/s3-test-server.sh'),
    ['--cert', cert, '--key', key, '--port', String(port)],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // The first run installs moto from PyPI: allow it the time.
  await waitForPort(port, 110_000);
  await execFileAsync('curl', [
    '-fsS',
    '--cacert',
    cert,
    '-X',
    'PUT',
    `https://localhost:${port}/${bucket}`,
  ]);
  return {
    repositoryEnv: {
      PGBACKREST_STANZA: 'hintbook',
      PGBACKREST_REPO1_TYPE: 's3',
      PGBACKREST_REPO1_S3_BUCKET: bucket,
      PGBACKREST_REPO1_S3_ENDPOINT: 'localhost',
      PGBACKREST_REPO1_STORAGE_PORT: String(port),
      PGBACKREST_REPO1_STORAGE_CA_FILE: cert,
      PGBACKREST_REPO1_S3_REGION: 'eu-central-1',
      PGBACKREST_REPO1_S3_URI_STYLE: 'path',
      PGBACKREST_REPO1_S3_KEY: 'hintbook-test',
      PGBACKREST_REPO1_S3_KEY_SECRET: 'not-a-real-secret',
      PGBACKREST_REPO1_PATH: '/hintbook-pitr',
      PGBACKREST_REPO1_CIPHER_TYPE: 'aes-256-cbc',
      PGBACKREST_REPO1_CIPHER_PASS: 'a-long-passphrase-from-the-env-file',
      PGBACKREST_REPO1_RETENTION_FULL: '2',
      PGBACKREST_COMPRESS_TYPE: 'zst',
      PGBACKREST_LOG_LEVEL_FILE: 'off',
      PGBACKREST_LOG_LEVEL_CONSOLE: 'info',
      PGBACKREST_LOCK_PATH: path.join(workDir, 'pgbackrest-lock'),
    },
    stop: () => server.kill('SIGTERM'),
  };
}

export interface Cluster {
  dataDir: string;
  port: number;
  /** Runs SQL as the superuser; unaligned, tuples only. */
  sql: (statement: string) => Promise<string>;
  stop: () => Promise<void>;
}

/** Starts PostgreSQL on DATA_DIR (initdb first when empty), on a free port, its socket in SOCKET_DIR. */
export async function startCluster(options: {
  dataDir: string;
  socketDir: string;
  env: Record<string, string>;
  settings: string[];
  initialise: boolean;
}): Promise<Cluster> {
  const { dataDir, socketDir, env } = options;
  if (options.initialise) {
    const init = await runAsPostgres(
      'initdb',
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'],
      env,
    );
    if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  }
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses=''",
    ...options.settings.map((setting) => `-c ${setting}`),
  ].join(' ');
  const log = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.log`);
  const started = await runAsPostgres(
    'pg_ctl',
    ['-D', dataDir, '-l', log, '-o', serverOptions, '-w', '-t', '600', 'start'],
    env,
  );
  if (started.code !== 0)
    throw new Error(`pg_ctl start failed: ${started.stderr}${started.stdout}`);
  const sql = async (statement: string) => {
    const result = await runAsPostgres(
      'psql',
      ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port)].concat(
        ['-U', 'postgres', '-d', 'postgres', '-c', statement],
      ),
      env,
    );
    if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  const stop = async () => {
    await runAsPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], env);
  };
  return { dataDir, port, sql, stop };
}

/** A webhook receiver on loopback: collects the bodies posted to it. */
export async function startWebhookReceiver() {
  const http = await import('node:http');
  const received: string[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => receiver.close() };
}
