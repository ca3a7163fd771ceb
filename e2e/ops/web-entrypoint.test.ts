/**
 * The web image's start script (nginx/entrypoint.d/10-hintbook-nginx.sh), run outside the image
 * with its paths pointed at a temp folder: on a first start without any certificate it renders
 * the configuration and writes a placeholder that nginx accepts, and when certbot later replaces
 * the certificate it reloads nginx by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  makeSelfSignedCertificate,
  nginxBin,
  repoRoot,
  testNginxConfig,
  writeTree,
} from '../support/nginx.js';

let workDir: string;
let confDir: string;
let live: string;
let reloadLog: string;
let entrypoint: ChildProcess | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-web-entrypoint-'));
  confDir = path.join(workDir, 'etc-nginx');
  live = path.join(workDir, 'letsencrypt', 'live', 'tutor.example.org');
  reloadLog = path.join(workDir, 'nginx-calls.log');
  await writeTree(confDir, { 'conf.d/default.conf': 'server { listen 80; }' });
  await copyFile(path.join(repoRoot, 'nginx/nginx.conf'), path.join(confDir, 'nginx.conf'));
  await copyFile('/etc/nginx/mime.types', path.join(confDir, 'mime.types'));
  // Stands in for `nginx -s reload` inside the container: records the call. `nginx -v` (render.sh
  // asks which syntax the nginx reading the configuration knows) is answered by the real nginx,
  // the one this test's `nginx -t` runs.
  await writeTree(path.join(workDir, 'bin'), {
    nginx: `#!/bin/sh\n[ "$1" = -v ] && exec ${nginxBin} -v\necho "$*" >> "${reloadLog}"\n`,
  });
  await chmod(path.join(workDir, 'bin', 'nginx'), 0o755);
  await writeFile(reloadLog, '');

  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  entrypoint = spawn('sh', [path.join(repoRoot, 'nginx/entrypoint.d/10-hintbook-nginx.sh')], {
    detached: true,
    stdio: 'ignore',
    env: {
      PATH: `${path.join(workDir, 'bin')}:${process.env.PATH}`,
      HINTBOOK_NGINX_CONF_DIR: confDir,
      HINTBOOK_NGINX_RENDER: path.join(repoRoot, 'nginx/render.sh'),
      DOMAINS: 'tutor.example.org www.tutor.example.org',
      NGINX_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      NGINX_HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
      NGINX_BACKEND_UPSTREAM: '127.0.0.1:9',
      NGINX_SPA_ROOT: workDir,
      NGINX_JUPYTERLITE_ROOT: workDir,
      NGINX_ACME_ROOT: workDir,
      NGINX_RESOLVER: '127.0.0.1',
      NGINX_SSL_CERTIFICATE: path.join(live, 'fullchain.pem'),
      NGINX_SSL_CERTIFICATE_KEY: path.join(live, 'privkey.pem'),
      NGINX_SSL_TRUSTED_CERTIFICATE: path.join(live, 'chain.pem'),
      NGINX_CERT_CHECK_SECONDS: '1',
    },
  });
  // The script itself exits once nginx could start; its certificate watcher lives on.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
});

afterAll(async () => {
  // The watcher runs in the script's own process group: end that group only.
  if (entrypoint?.pid) {
    try {
      process.kill(-entrypoint.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await rm(workDir, { recursive: true, force: true });
});

describe('the web container start script', () => {
  it('renders the HTTPS configuration, drops the stock server and writes a placeholder certificate', async () => {
    expect(existsSync(path.join(confDir, 'conf.d', 'default.conf'))).toBe(false);
    const conf = await readFile(path.join(confDir, 'conf.d', 'hintbook.conf'), 'utf8');
    expect(conf).toContain('server_name tutor.example.org www.tutor.example.org;');
    expect(existsSync(path.join(live, 'fullchain.pem'))).toBe(true);
    expect(existsSync(path.join(live, '.hintbook-placeholder'))).toBe(true);
  });

  it('lets nginx start on the placeholder before any certificate was issued', async () => {
    // In the image the access log is a link to /dev/stdout; a test process's stdout is a socket.
    await rm(path.join(confDir, 'logs', 'access.log'));
    await writeFile(path.join(confDir, 'logs', 'access.log'), '');
    const output = await testNginxConfig({
      dir: confDir,
      confFile: path.join(confDir, 'nginx.conf'),
      httpPort: 0,
      acmeRoot: workDir,
    });
    expect(output).toContain('test is successful');
  });

  it('reloads nginx when certbot replaces the certificate, and only then', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await readFile(reloadLog, 'utf8')).toBe('');
    const renewed = await makeSelfSignedCertificate(
      path.join(workDir, 'renewed'),
      'tutor.example.org',
    );
    await copyFile(renewed.cert, path.join(live, 'fullchain.pem'));
    await expect
      .poll(() => readFile(reloadLog, 'utf8'), { timeout: 5_000, interval: 200 })
      .toBe('-s reload\n');
  });
});
