/**
 * Debian's Chromium through the repository's nginx configuration: the SPA and a JupyterLite page
 * framed inside it are both cross-origin isolated, and the real built SPA renders under the
 * Content-Security-Policy without a single violation.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startNginx, writeTree, type RunningNginx } from '../support/nginx.js';
import { startFakeBackend, type FakeBackend } from '../support/upstream.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const builtSpa = path.join(repoRoot, 'frontend', 'dist');

let browser: Browser;
let backend: FakeBackend;
let workDir: string;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  backend = await startFakeBackend();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-ops-browser-'));
});

afterAll(async () => {
  await browser?.close();
  await backend?.close();
  await rm(workDir, { recursive: true, force: true });
});

/** Opens a page that aborts every request leaving loopback and records CSP violations. */
async function openPage(): Promise<{ page: Page; violations: string[]; external: string[] }> {
  const page = await browser.newPage();
  const violations: string[] = [];
  const external: string[] = [];
  await page.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    external.push(route.request().url());
    return route.abort();
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return { page, violations, external };
}

describe('cross-origin isolation in Chromium', () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    const spaDir = path.join(workDir, 'spa');
    const liteDir = path.join(workDir, 'jupyterlite');
    await writeTree(spaDir, {
      'index.html':
        '<!doctype html><html><head><script type="module" src="/assets/app-A1b2C3d4.js"></script></head>' +
        '<body><iframe id="lite" src="/jupyterlite/lab/index.html"></iframe></body></html>',
      'assets/app-A1b2C3d4.js': 'document.body.dataset.ran = "yes";',
    });
    await writeTree(liteDir, {
      'lab/index.html':
        '<!doctype html><html><head><script src="../build/bootstrap.js"></script></head><body></body></html>',
      'build/bootstrap.js': 'document.body ? (document.body.dataset.ran = "yes") : null;',
    });
    nginx = await startNginx({
      mode: 'test',
      upstreamPort: backend.port,
      spaDir,
      jupyterliteDir: liteDir,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('isolates the SPA and the JupyterLite frame inside it, so SharedArrayBuffer is available', async () => {
    const { page, violations } = await openPage();
    try {
      await page.goto(`${nginx.url}/workspace/module-1`);
      await page.waitForFunction(() => document.body.dataset.ran === 'yes');
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
      expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');

      const frame = page.frame({ url: /\/jupyterlite\/lab\/index\.html$/ });
      expect(frame).not.toBeNull();
      await frame!.waitForLoadState('load');
      expect(await frame!.evaluate(() => self.crossOriginIsolated)).toBe(true);
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('blocks an inline script on SPA pages (the CSP is enforced, not only sent)', async () => {
    const { page, violations } = await openPage();
    try {
      await page.goto(`${nginx.url}/`);
      const ran = await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true;';
        document.head.append(script);
        return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => violations.length).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});

describe('a warm load of the workspace frame through nginx', () => {
  // The site build names Pyodide's folder by the hash of its files (hash_pyodide_dir.py).
  const pyodide = '/jupyterlite/static/pyodide-0123456789abcdef';
  let nginx: RunningNginx;
  beforeAll(async () => {
    const liteDir = path.join(workDir, 'warm-jupyterlite');
    await writeTree(liteDir, {
      'lab/index.html':
        '<!doctype html><html><head><script src="../build/bootstrap.js"></script></head><body></body></html>',
      'build/bootstrap.js': `Promise.all([
          fetch('../jupyter-lite.json'),
          fetch('${pyodide}/pyodide-lock.json'),
          fetch('${pyodide}/python_stdlib.zip'),
          fetch('${pyodide}/micropip-0.9.0-py3-none-any.whl'),
        ]).then((all) => { document.body.dataset.loaded = all.map((r) => r.status).join(); });`,
      'jupyter-lite.json': '{"jupyter-config-data":{}}',
      'static/pyodide-0123456789abcdef/pyodide-lock.json': '{"packages":{}}',
      'static/pyodide-0123456789abcdef/python_stdlib.zip': 'PK stdlib',
      'static/pyodide-0123456789abcdef/micropip-0.9.0-py3-none-any.whl': 'PK micropip',
    });
    nginx = await startNginx({
      mode: 'test',
      upstreamPort: backend.port,
      spaDir: path.join(workDir, 'spa'),
      jupyterliteDir: liteDir,
    });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  /** The paths (and statuses) nginx logged since `from` lines of its access log. */
  async function logged(from: number): Promise<{ uri: string; status: number }[]> {
    const lines = (await readFile(path.join(nginx.dir, 'logs', 'access.log'), 'utf8'))
      .split('\n')
      .filter(Boolean);
    return lines.slice(from).map((line) => JSON.parse(line) as { uri: string; status: number });
  }

  it("asks nginx nothing about Pyodide's hashed files, and revalidates the config", async () => {
    // No route(): Playwright would turn the HTTP cache off. The page requests only loopback.
    const context = await browser.newContext();
    try {
      const load = async () => {
        const page = await context.newPage();
        await page.goto(`${nginx.url}/jupyterlite/lab/index.html`);
        await page.waitForFunction(() => document.body?.dataset.loaded === '200,200,200,200');
        await page.close();
      };
      await load();
      const cold = await logged(0);
      expect(cold.filter((entry) => entry.uri.startsWith(pyodide))).toHaveLength(3);
      await load();
      const warm = await logged(cold.length);
      expect(warm.filter((entry) => entry.uri.startsWith(pyodide))).toEqual([]);
      expect(warm).toContainEqual(
        expect.objectContaining({ uri: '/jupyterlite/jupyter-lite.json', status: 304 }),
      );
    } finally {
      await context.close();
    }
  });
});

describe.skipIf(!existsSync(path.join(builtSpa, 'index.html')))(
  'the built SPA behind nginx',
  () => {
    let nginx: RunningNginx;
    beforeAll(async () => {
      nginx = await startNginx({ mode: 'test', upstreamPort: backend.port, spaDir: builtSpa });
    });
    afterAll(async () => {
      await nginx?.stop();
    });

    it('renders under the Content-Security-Policy, isolated, with no request leaving the machine', async () => {
      const { page, violations, external } = await openPage();
      try {
        await page.goto(`${nginx.url}/login`);
        await page.waitForFunction(
          () => (document.getElementById('root')?.childElementCount ?? 0) > 0,
        );
        expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
        expect(violations).toEqual([]);
        expect(external).toEqual([]);
      } finally {
        await page.close();
      }
    });
  },
);
