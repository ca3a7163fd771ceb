import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countHeader, request } from '../support/http.js';
import {
  renderNginx,
  repoRoot,
  startNginx,
  testNginxConfig,
  writeTree,
  type RunningNginx,
} from '../support/nginx.js';
import { startFakeBackend, type FakeBackend } from '../support/upstream.js';

const execFileAsync = promisify(execFile);

const bigScript = `export const padding = ${JSON.stringify('x'.repeat(4096))};\n`;
const spaFiles = {
  'index.html':
    '<!doctype html><html><head><script type="module" src="/assets/index-B1x2y3z4.js"></script></head><body><div id="root"></div></body></html>',
  'assets/index-B1x2y3z4.js': bigScript,
  'assets/index-C5d6e7f8.css': 'body{margin:0}',
  'assets/precompressed-D9e8f7a6.js': 'plain copy',
  'assets/precompressed-D9e8f7a6.js.gz': gzipSync('gzip copy'),
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
};
const kernelExtension = 'extensions/@jupyterlite/pyodide-kernel-extension/static';
// The site build names the Pyodide folder by the hash of its files (hash_pyodide_dir.py).
const pyodide = 'static/pyodide-0123456789abcdef';
const numpyWheel = 'numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl';
const liteFiles = {
  'index.html': '<!doctype html><title>lite</title>',
  'lab/index.html': '<!doctype html><title>lab</title>',
  'jupyter-lite.json': '{"jupyter-config-data":{}}',
  'service-worker.js': 'self.addEventListener("fetch", () => {});',
  [`${pyodide}/pyodide.mjs`]: 'export const loadPyodide = () => {};',
  [`${pyodide}/pyodide.asm.wasm`]: Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
  [`${pyodide}/pyodide-lock.json`]: '{"packages":{}}',
  [`${pyodide}/${numpyWheel}`]: 'PK',
  // Not hashed (a site built before the hashed folder, or a short name): revalidated.
  'static/pyodide/pyodide-lock.json': '{"packages":{}}',
  'static/pyodide-0123abcd/pyodide-lock.json': '{"packages":{}}',
  'build/bootstrap.js': 'import("./main.js");',
  'build/5203.2a30a1f0e3c3b9a3f5a5.js': bigScript,
  // JupyterLite's own build names carry 7-character hashes.
  'build/jlab_core.a86436d.js': 'export {};',
  // The site build writes .gz and .br copies (jupyterlite/tools/brotli_copies.mjs).
  [`${pyodide}/python_stdlib.zip`]: 'plain stdlib',
  [`${pyodide}/python_stdlib.zip.gz`]: gzipSync('gzip stdlib'),
  [`${pyodide}/python_stdlib.zip.br`]: brotliCompressSync('brotli stdlib'),
  [`${kernelExtension}/remoteEntry.0123456789abcdef0123.js`]: 'var remote;',
  [`${kernelExtension}/pypi/piplite-0.8.6-py3-none-any.whl`]: 'PK',
  'pypi/comm-0.2.2-py3-none-any.whl': 'PK',
};

let workDir: string;
let spaDir: string;
let liteDir: string;
let backend: FakeBackend;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-ops-nginx-'));
  spaDir = path.join(workDir, 'spa');
  liteDir = path.join(workDir, 'jupyterlite');
  await writeTree(spaDir, spaFiles);
  await writeTree(liteDir, liteFiles);
  backend = await startFakeBackend();
});

afterAll(async () => {
  await backend?.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('the rendered configuration', () => {
  it.each(['prod', 'dev', 'test'] as const)('passes nginx -t in %s mode', async (mode) => {
    const rendered = await renderNginx({
      mode,
      upstreamPort: backend.port,
      spaDir,
      jupyterliteDir: liteDir,
    });
    try {
      const output = await testNginxConfig(rendered);
      expect(output).toContain('test is successful');
      const conf = await readFile(path.join(rendered.dir, 'conf.d', 'hintbook.conf'), 'utf8');
      const locations = await readFile(
        path.join(rendered.dir, 'hintbook', 'locations.conf'),
        'utf8',
      );
      expect(`${conf}${locations}`).not.toMatch(/\$\{?NGINX_/);
      // nginx's own variables survive rendering.
      expect(conf).toContain('$http_upgrade');
      expect(locations).toContain('$proxy_add_x_forwarded_for');
    } finally {
      await rm(rendered.dir, { recursive: true, force: true });
    }
  });

  it('renders the production defaults of the container (server names from DOMAINS)', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'hintbook-render-'));
    try {
      await execFileAsync('sh', [path.join(repoRoot, 'nginx/render.sh'), '--out', out], {
        env: { PATH: process.env.PATH, DOMAINS: 'tutor.example.org, www.tutor.example.org' },
      });
      const conf = await readFile(path.join(out, 'conf.d', 'hintbook.conf'), 'utf8');
      expect(conf).toContain('server_name tutor.example.org www.tutor.example.org;');
      expect(conf).toContain('/etc/letsencrypt/live/tutor.example.org/fullchain.pem');
      // Docker's DNS, asked again every 10 s: a recreated backend is found without a reload
      // (scripts/stack-test.sh recreates it and checks).
      expect(conf).toContain('resolver 127.0.0.11 valid=10s ipv6=off;');
      const locations = await readFile(path.join(out, 'hintbook', 'locations.conf'), 'utf8');
      expect(locations).toContain('set $hintbook_backend backend:3000;');
      expect(locations).not.toMatch(/proxy_pass http:\/\/(?!\$hintbook_backend;)/);
      expect(conf).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it.each([
    ['1.28.0', /listen 443 ssl;\n\s+http2 on;/, /^\s*listen [^;]* http2;/m],
    ['1.25.1', /listen 443 ssl;\n\s+http2 on;/, /^\s*listen [^;]* http2;/m],
    ['1.22.1', /^\s*listen 443 ssl http2;/m, /^\s*http2 on;/m],
  ])('writes HTTP/2 the way nginx %s reads it', async (version, wanted, unwanted) => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'hintbook-render-'));
    try {
      await execFileAsync('sh', [path.join(repoRoot, 'nginx/render.sh'), '--out', out], {
        env: { PATH: process.env.PATH, DOMAINS: 'tutor.example.org', NGINX_VERSION: version },
      });
      const conf = await readFile(path.join(out, 'conf.d', 'hintbook.conf'), 'utf8');
      expect(conf).toMatch(wanted);
      expect(conf).not.toMatch(unwanted);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('refuses a value that could inject nginx directives', async () => {
    const attempt = execFileAsync(
      'sh',
      [path.join(repoRoot, 'nginx/render.sh'), '--out', workDir],
      {
        env: { PATH: process.env.PATH, DOMAINS: 'a.example.org; include /etc/passwd' },
      },
    );
    await expect(attempt).rejects.toMatchObject({ code: 2 });
  });
});

describe('nginx in development mode', () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    nginx = await startNginx({
      mode: 'dev',
      upstreamPort: backend.port,
      spaDir,
      jupyterliteDir: liteDir,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('serves the SPA cross-origin isolated with its security headers and no HSTS over HTTP', async () => {
    const response = await request(`${nginx.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(response.headers['permissions-policy']).toContain('camera=()');
    expect(response.headers['strict-transport-security']).toBeUndefined();
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
  });

  it('falls back to index.html for client-side routes but not for missing assets', async () => {
    const login = await request(`${nginx.url}/login`);
    expect(login.status).toBe(200);
    expect(login.text).toContain('<div id="root">');
    expect(login.headers['cache-control']).toBe('no-cache');
    expect(login.headers['cross-origin-embedder-policy']).toBe('require-corp');

    expect((await request(`${nginx.url}/assets/missing-abc.js`)).status).toBe(404);
    expect((await request(`${nginx.url}/jupyterlite/missing.js`)).status).toBe(404);
  });

  it.each([
    ['/', 'no-cache'],
    ['/profile', 'no-cache'],
    ['/favicon.svg', 'no-cache'],
    ['/assets/index-B1x2y3z4.js', 'public, max-age=31536000, immutable'],
    ['/assets/index-C5d6e7f8.css', 'public, max-age=31536000, immutable'],
    ['/jupyterlite/', 'no-cache'],
    ['/jupyterlite/lab/', 'no-cache'],
    ['/jupyterlite/jupyter-lite.json', 'no-cache'],
    ['/jupyterlite/service-worker.js', 'no-cache'],
    [`/jupyterlite/${pyodide}/pyodide.mjs`, 'public, max-age=31536000, immutable'],
    [`/jupyterlite/${pyodide}/pyodide.asm.wasm`, 'public, max-age=31536000, immutable'],
    [`/jupyterlite/${pyodide}/pyodide-lock.json`, 'public, max-age=31536000, immutable'],
    [`/jupyterlite/${pyodide}/python_stdlib.zip`, 'public, max-age=31536000, immutable'],
    [`/jupyterlite/${pyodide}/${numpyWheel}`, 'public, max-age=31536000, immutable'],
    ['/jupyterlite/static/pyodide/pyodide-lock.json', 'no-cache'],
    ['/jupyterlite/static/pyodide-0123abcd/pyodide-lock.json', 'no-cache'],
    ['/jupyterlite/build/bootstrap.js', 'no-cache'],
    ['/jupyterlite/build/5203.2a30a1f0e3c3b9a3f5a5.js', 'public, max-age=31536000, immutable'],
    ['/jupyterlite/build/jlab_core.a86436d.js', 'public, max-age=31536000, immutable'],
    [
      `/jupyterlite/${kernelExtension}/remoteEntry.0123456789abcdef0123.js`,
      'public, max-age=31536000, immutable',
    ],
    [`/jupyterlite/${kernelExtension}/pypi/piplite-0.8.6-py3-none-any.whl`, 'no-cache'],
    ['/jupyterlite/pypi/comm-0.2.2-py3-none-any.whl', 'no-cache'],
  ])(
    'answers %s with Cache-Control "%s" and cross-origin isolation',
    async (urlPath, cacheControl) => {
      const response = await request(`${nginx.url}${urlPath}`);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe(cacheControl);
      expect(countHeader(response, 'cache-control')).toBe(1);
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    },
  );

  it.each([
    [`/jupyterlite/${pyodide}/pyodide.mjs`, 'application/javascript'],
    [`/jupyterlite/${pyodide}/pyodide.asm.wasm`, 'application/wasm'],
    ['/jupyterlite/jupyter-lite.json', 'application/json'],
    ['/assets/index-B1x2y3z4.js', 'application/javascript'],
    ['/assets/index-C5d6e7f8.css', 'text/css'],
    ['/', 'text/html'],
  ])('serves %s as %s', async (urlPath, type) => {
    const response = await request(`${nginx.url}${urlPath}`);
    expect(response.headers['content-type']).toContain(type);
  });

  it('redirects /jupyterlite to /jupyterlite/ with a relative Location', async () => {
    const response = await request(`${nginx.url}/jupyterlite`);
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('/jupyterlite/');
  });

  it('compresses JavaScript on the fly and prefers precompressed .gz files', async () => {
    const onTheFly = await request(`${nginx.url}/assets/index-B1x2y3z4.js`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(onTheFly.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(onTheFly.body).toString()).toBe(bigScript);

    const precompressed = await request(`${nginx.url}/assets/precompressed-D9e8f7a6.js`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(gunzipSync(precompressed.body).toString()).toBe('gzip copy');
    expect((await request(`${nginx.url}/assets/precompressed-D9e8f7a6.js`)).text).toBe(
      'plain copy',
    );
  });

  it('sends the .br copy to browsers that accept br (the CI nginx has brotli_static), else .gz', async () => {
    const url = `${nginx.url}/jupyterlite/${pyodide}/python_stdlib.zip`;
    const brotli = await request(url, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(brotli.body).toString()).toBe('brotli stdlib');
    expect(brotli.headers['cross-origin-embedder-policy']).toBe('require-corp');
    const gzip = await request(url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe('gzip stdlib');
    expect((await request(url)).text).toBe('plain stdlib');
  });

  it('proxies /api and /health with forwarding headers and one copy of each security header', async () => {
    const api = await request(`${nginx.url}/api/health`, {
      headers: { 'X-Forwarded-For': '10.9.8.7' },
    });
    expect(api.status).toBe(200);
    const seen = (
      JSON.parse(api.text) as { seen: { url: string; headers: Record<string, string> } }
    ).seen;
    expect(seen.url).toBe('/api/health');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-real-ip']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-for']).toBe('10.9.8.7, 127.0.0.1');
    expect(api.headers['x-powered-by']).toBeUndefined();
    expect(countHeader(api, 'content-security-policy')).toBe(1);
    expect(countHeader(api, 'x-content-type-options')).toBe(1);
    // The backend decides caching of its own answers.
    expect(api.headers['cache-control']).toBe('no-store');
    expect(api.headers['cross-origin-resource-policy']).toBe('same-origin');

    const health = await request(`${nginx.url}/health`);
    expect(health.status).toBe(200);
    expect(backend.requests.some((entry) => entry.url === '/health')).toBe(true);
  });

  it('accepts request bodies up to the configured limit and refuses larger ones', async () => {
    const small = await request(`${nginx.url}/api/notebooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(2 * 1024 * 1024),
    });
    expect(small.status).toBe(200);
    const large = await request(`${nginx.url}/api/notebooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(11 * 1024 * 1024),
    });
    expect(large.status).toBe(413);
  });

  it('upgrades /socket.io/ connections through nginx and relays bytes both ways', async () => {
    const result = await upgradeAndEcho(
      new URL('/socket.io/?EIO=4&transport=websocket', nginx.url),
    );
    expect(result.status).toBe(101);
    expect(result.echo).toBe('ping through nginx');
    const seen = backend.upgrades.at(-1);
    expect(seen?.headers.upgrade).toBe('websocket');
    expect(String(seen?.headers.connection).toLowerCase()).toBe('upgrade');
    expect(seen?.url).toBe('/socket.io/?EIO=4&transport=websocket');
  });
});

describe('nginx in production mode (self-signed certificate)', () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    nginx = await startNginx({
      mode: 'prod',
      upstreamPort: backend.port,
      spaDir,
      jupyterliteDir: liteDir,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('redirects HTTP to HTTPS except the ACME challenge', async () => {
    const redirect = await request(`${nginx.httpUrl}/login?next=%2Fprofile`, {
      headers: { Host: 'tutor.example.org' },
    });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('https://tutor.example.org/login?next=%2Fprofile');

    await writeTree(nginx.acmeRoot, { '.well-known/acme-challenge/token-123': 'token-123.key' });
    const challenge = await request(`${nginx.httpUrl}/.well-known/acme-challenge/token-123`);
    expect(challenge.status).toBe(200);
    expect(challenge.text).toBe('token-123.key');
    expect((await request(`${nginx.httpUrl}/.well-known/acme-challenge/absent`)).status).toBe(404);
  });

  it('sends HSTS and the isolation headers over HTTPS', async () => {
    const response = await request(`${nginx.url}/`, { ca: nginx.certificatePem });
    expect(response.status).toBe(200);
    expect(response.headers['strict-transport-security']).toBe('max-age=63072000');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'");

    const api = await request(`${nginx.url}/api/me`, { ca: nginx.certificatePem });
    const seen = (JSON.parse(api.text) as { seen: { headers: Record<string, string> } }).seen;
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(countHeader(api, 'strict-transport-security')).toBe(1);
  });

  it('speaks TLS 1.3 and 1.2 with HTTP/2 offered, and refuses TLS 1.1', async () => {
    const modern = await tlsHandshake(nginx.httpsPort!, nginx.certificatePem!, {
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    expect(modern.protocol).toBe('TLSv1.3');
    expect(modern.alpn).toBe('h2');
    const tls12 = await tlsHandshake(nginx.httpsPort!, nginx.certificatePem!, {
      maxVersion: 'TLSv1.2',
    });
    expect(tls12.protocol).toBe('TLSv1.2');
    expect(tls12.cipher).toMatch(/ECDHE-.*(GCM|CHACHA20)/);
    await expect(
      tlsHandshake(nginx.httpsPort!, nginx.certificatePem!, {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      }),
    ).rejects.toThrow();
  });

  it('upgrades /socket.io/ over HTTPS too', async () => {
    const result = await upgradeAndEcho(
      new URL('/socket.io/?EIO=4&transport=websocket', nginx.url),
      nginx.certificatePem,
    );
    expect(result.status).toBe(101);
    expect(result.echo).toBe('ping through nginx');
  });
});

describe('the edge rate limit on /api/auth/', () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    nginx = await startNginx({
      mode: 'dev',
      upstreamPort: backend.port,
      spaDir,
      jupyterliteDir: liteDir,
      env: { NGINX_AUTH_RATE: '1r/m', NGINX_AUTH_BURST: '2' },
    });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('answers 429 once an address exceeds rate plus burst, and leaves other API paths alone', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await request(`${nginx.url}/api/auth/login`, { method: 'POST' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await request(`${nginx.url}/api/health`)).status).toBe(200);
  });
});

function tlsHandshake(
  port: number,
  ca: string,
  options: tls.ConnectionOptions,
): Promise<{ protocol: string | null; alpn: string | false; cipher: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, ca, servername: 'localhost', ...options },
      () => {
        const result = {
          protocol: socket.getProtocol(),
          alpn: socket.alpnProtocol ?? false,
          cipher: socket.getCipher().name,
        };
        socket.end();
        resolve(result);
      },
    );
    socket.once('error', reject);
  });
}

/** Sends an HTTP/1.1 WebSocket upgrade, then a message, and reads the echo on the raw socket. */
function upgradeAndEcho(url: URL, ca?: string): Promise<{ status: number; echo: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      ca,
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('upgrade', (res, socket) => {
      const message = 'ping through nginx';
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.length >= message.length) {
          socket.destroy();
          resolve({ status: res.statusCode ?? 0, echo: received });
        }
      });
      socket.write(message);
    });
    req.on('response', (res) => reject(new Error(`expected an upgrade, got ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('the edge limits with their defaults', () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    nginx = await startNginx({
      mode: 'dev',
      upstreamPort: backend.port,
      spaDir,
      jupyterliteDir: liteDir,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('let a class of 30 behind one address sign in, load the app and connect at once', async () => {
    // Per student, all at the same moment: the sign-in page's session check and the sign-in,
    // the app's first API calls, and socket.io's handshake, upgrade and a reconnect.
    const student = async () => {
      const paths = [
        ['POST', '/api/auth/refresh'],
        ['POST', '/api/auth/login'],
        ...Array.from({ length: 8 }, (_, index) => ['GET', `/api/modules?page=${index}`]),
        ...Array.from({ length: 3 }, () => ['GET', '/socket.io/?EIO=4&transport=polling']),
      ] as const;
      return Promise.all(
        paths.map(
          async ([method, target]) => (await request(`${nginx.url}${target}`, { method })).status,
        ),
      );
    };
    const statuses = (await Promise.all(Array.from({ length: 30 }, student))).flat();
    expect(statuses.length).toBe(30 * 13);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  });

  it('answers 429 to a flood from one address on /api/ and /socket.io/', async () => {
    for (const target of ['/api/modules', '/socket.io/?EIO=4&transport=polling']) {
      const statuses = await Promise.all(
        Array.from({ length: 700 }, async () => (await request(`${nginx.url}${target}`)).status),
      );
      expect(statuses.filter((status) => status === 429).length, target).toBeGreaterThan(0);
    }
  });
});
