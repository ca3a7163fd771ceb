/**
 * Starts Debian's nginx with the repository's own configuration (nginx/nginx.conf and the
 * templates rendered by nginx/render.sh, the same script the web image runs), so ops tests and
 * the browser e2e stack go through exactly the files production uses.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const nginxBin = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const mimeTypesFile = process.env.NGINX_MIME_TYPES ?? '/etc/nginx/mime.types';

/** prod: port 80 redirect + HTTPS with a self-signed certificate; dev/test: one HTTP server. */
export type NginxMode = 'dev' | 'prod' | 'test';

export interface StartNginxOptions {
  mode: NginxMode;
  /** Port of the backend (or a stand-in) on 127.0.0.1. */
  upstreamPort: number;
  /** Built SPA folder (index.html + assets/); default frontend/dist. */
  spaDir?: string;
  /** Built JupyterLite folder; default jupyterlite/dist (it need not exist). */
  jupyterliteDir?: string;
  serverName?: string;
  /** Extra or overriding NGINX_* variables for render.sh (e.g. NGINX_AUTH_RATE). */
  env?: Record<string, string>;
  /** Listen here instead of a free port (a backend's PUBLIC_URL must name it in advance). */
  httpPort?: number;
  /** prod: days the self-signed certificate is valid [2]. */
  certificateDays?: number;
}

export interface RenderedNginx {
  /** Folder holding nginx.conf, mime.types, conf.d/ and hintbook/; also the nginx prefix. */
  dir: string;
  confFile: string;
  httpPort: number;
  httpsPort?: number;
  /** Self-signed certificate (PEM) in prod mode, for clients that want to trust it. */
  certificatePem?: string;
  acmeRoot: string;
}

export interface RunningNginx extends RenderedNginx {
  /** https://127.0.0.1:<httpsPort> in prod mode, http://127.0.0.1:<httpPort> otherwise. */
  url: string;
  httpUrl: string;
  /** Everything nginx wrote to stderr so far (its error log). */
  errorLog(): string;
  /** `nginx -s reload` (SIGHUP): resolves once workers of the new configuration run. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; released before nginx binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Writes a self-signed certificate for localhost and 127.0.0.1; returns the file paths. */
export async function makeSelfSignedCertificate(dir: string, commonName = 'localhost', days = 2) {
  await mkdir(dir, { recursive: true });
  const cert = path.join(dir, 'fullchain.pem');
  const key = path.join(dir, 'privkey.pem');
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-nodes',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-days',
    String(days),
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    `subjectAltName=DNS:${commonName},DNS:localhost,IP:127.0.0.1`,
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  const chain = path.join(dir, 'chain.pem');
  await copyFile(cert, chain);
  return { cert, key, chain };
}

/** Renders the repository's templates into a fresh temp folder, as the web image does at start. */
export async function renderNginx(options: StartNginxOptions): Promise<RenderedNginx> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `hintbook-nginx-${options.mode}-`));
  await copyFile(path.join(repoRoot, 'nginx', 'nginx.conf'), path.join(dir, 'nginx.conf'));
  await copyFile(mimeTypesFile, path.join(dir, 'mime.types'));
  const acmeRoot = path.join(dir, 'acme');
  await mkdir(acmeRoot, { recursive: true });
  await mkdir(path.join(dir, 'logs'), { recursive: true });

  const httpPort = options.httpPort ?? (await freePort());
  const env: Record<string, string> = {
    NGINX_SERVER_NAME: options.serverName ?? 'localhost 127.0.0.1',
    NGINX_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    NGINX_BACKEND_UPSTREAM: `127.0.0.1:${options.upstreamPort}`,
    NGINX_SPA_ROOT: options.spaDir ?? path.join(repoRoot, 'frontend', 'dist'),
    NGINX_JUPYTERLITE_ROOT: options.jupyterliteDir ?? path.join(repoRoot, 'jupyterlite', 'dist'),
    NGINX_ACME_ROOT: acmeRoot,
    NGINX_RESOLVER: '127.0.0.1',
  };
  if (options.mode === 'test') {
    // Browser suites sign in and call the API many times from one address, faster than any
    // class; the edge limits are tested on their own (e2e/ops/nginx.test.ts).
    env.NGINX_AUTH_RATE = '100r/s';
    env.NGINX_AUTH_BURST = '500';
    env.NGINX_API_RATE = '500r/s';
    env.NGINX_API_BURST = '2000';
    env.NGINX_SOCKET_RATE = '100r/s';
    env.NGINX_SOCKET_BURST = '500';
  }

  let httpsPort: number | undefined;
  let certificatePem: string | undefined;
  if (options.mode === 'prod') {
    httpsPort = await freePort();
    const tls = await makeSelfSignedCertificate(
      path.join(dir, 'tls'),
      'localhost',
      options.certificateDays,
    );
    certificatePem = await readFile(tls.cert, 'utf8');
    Object.assign(env, {
      NGINX_HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
      NGINX_SSL_CERTIFICATE: tls.cert,
      NGINX_SSL_CERTIFICATE_KEY: tls.key,
      NGINX_SSL_TRUSTED_CERTIFICATE: tls.chain,
    });
  }
  Object.assign(env, options.env);

  const renderMode = options.mode === 'prod' ? 'https' : 'http';
  try {
    await execFileAsync(
      'sh',
      [path.join(repoRoot, 'nginx', 'render.sh'), '--mode', renderMode, '--out', dir],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } },
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    confFile: path.join(dir, 'nginx.conf'),
    httpPort,
    httpsPort,
    certificatePem,
    acmeRoot,
  };
}

function globalDirectives(rendered: RenderedNginx, daemonOff: boolean): string {
  // Workers drop to an unprivileged user when nginx starts as root; they could not read test
  // folders made by mkdtemp (mode 0700), so they stay root here. Never done in the image.
  const user = process.getuid?.() === 0 ? ' user root root;' : '';
  return `${daemonOff ? 'daemon off; ' : ''}pid ${path.join(rendered.dir, 'nginx.pid')};${user}`;
}

function nginxArgs(rendered: RenderedNginx, daemonOff: boolean): string[] {
  return [
    '-p',
    rendered.dir,
    '-c',
    rendered.confFile,
    '-e',
    path.join(rendered.dir, 'error.log'),
    '-g',
    globalDirectives(rendered, daemonOff),
  ];
}

/** Runs `nginx -t` on a rendered configuration; resolves with nginx's output, rejects on error. */
export async function testNginxConfig(rendered: RenderedNginx): Promise<string> {
  const { stdout, stderr } = await execFileAsync(nginxBin, ['-t', ...nginxArgs(rendered, false)]);
  return `${stdout}${stderr}`;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited early:\n${log()}`);
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (isOpen) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on ${port} within 10 s:\n${log()}`);
}

/** Renders the templates, runs `nginx -t`, starts nginx in the foreground and waits for it. */
export async function startNginx(options: StartNginxOptions): Promise<RunningNginx> {
  const rendered = await renderNginx(options);
  try {
    await testNginxConfig(rendered);
  } catch (error) {
    await rm(rendered.dir, { recursive: true, force: true });
    throw error;
  }
  const child = spawn(nginxBin, nginxArgs(rendered, true), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const errorLog = () => stderr;
  try {
    await waitForPort(rendered.httpPort, child, errorLog);
    if (rendered.httpsPort) await waitForPort(rendered.httpsPort, child, errorLog);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(rendered.dir, { recursive: true, force: true });
    throw error;
  }

  const httpUrl = `http://127.0.0.1:${rendered.httpPort}`;
  const url = rendered.httpsPort ? `https://127.0.0.1:${rendered.httpsPort}` : httpUrl;
  return {
    ...rendered,
    url,
    httpUrl,
    errorLog,
    async reload() {
      const before = new Set(childPids(child.pid));
      child.kill('SIGHUP');
      const deadline = Date.now() + 10_000;
      while (!childPids(child.pid).some((pid) => !before.has(pid))) {
        if (Date.now() > deadline) throw new Error(`nginx did not reload:\n${errorLog()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(rendered.dir, { recursive: true, force: true });
    },
  };
}

/** The processes whose parent is `pid` (nginx's workers), from /proc. */
function childPids(pid: number | undefined): number[] {
  if (!pid) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // The field after the command name, which is in parentheses and may hold spaces.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Writes a file (and its folders); handy for fake SPA and JupyterLite trees in tests. */
export async function writeTree(root: string, files: Record<string, string | Buffer>) {
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(root, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
