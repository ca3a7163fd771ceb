import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Frame, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parentPage } from './parent-page.js';
import { startSiteServer, type SiteServer } from './site-server.js';

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const distDir = path.join(repoRoot, 'jupyterlite/dist');

/** The site's content-hashed Pyodide folder (`static/pyodide-<hash>`), from the kernel's config. */
async function pyodideFolder(): Promise<string> {
  const config = JSON.parse(await readFile(path.join(distDir, 'jupyter-lite.json'), 'utf8'));
  const url: string =
    config['jupyter-config-data'].litePluginSettings['@jupyterlite/pyodide-kernel-extension:kernel']
      .pyodideUrl;
  return path.join(distDir, path.posix.dirname(url));
}

interface Response<T = Record<string, unknown>> {
  requestId: string;
  ok: boolean;
  result: T;
  error?: { code: string; message: string };
}
interface BridgeEvent {
  event: string;
  at: number;
  [key: string]: unknown;
}
interface Output {
  type: string;
  name?: string;
  text?: string | null;
  ename?: string;
}
interface RunResult {
  success: boolean;
  cell: { index: number; outputs: Output[]; executionCount: number | null };
  error: { ename: string; evalue: string; traceback: string } | null;
}

const code = (id: string, source: string) => ({
  id,
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
});
const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python', display_name: 'Python (Pyodide)', language: 'python' },
  },
  cells: [
    code(
      'read-data',
      "import os\nprint(sorted(os.listdir('.')))\nprint(open('scores.csv').read().strip())\nprint(open('raw/blob.bin', 'rb').read())\n" +
        // The notebook's folder (the drive) comes after the standard library on sys.path, and
        // no bytecode is written once the kernel runs (hintbook_workspace/early_imports.py).
        "import sys\nsite = next(i for i, p in enumerate(sys.path) if p.endswith('site-packages'))\nprint('folder before site-packages:', sys.path.index('') == site - 1, sys.dont_write_bytecode)\n" +
        // The standard library compiles each module once (python/stdlib/sitecustomize.py,
        // added to python_stdlib.zip by the build), and its sources still back tracebacks.
        "import zipimport, inspect, json\nprint('zip modules compiled once:', zipimport.zipimporter.get_filename.__module__, json.__file__, len(inspect.getsource(json)) > 0)" +
        // The start packages came from the start bundle (kernel/hintbook-pyodide.js) and are
        // known as loadPackage would leave them: metadata, micropip, Pyodide; sqlite3's library
        // (which IPython's history imports) is loaded and works.
        "\nimport importlib.metadata, micropip, pyodide_js, sqlite3\nprint('start packages:', importlib.metadata.version('ipython'), micropip.list()['ipython'].source, pyodide_js.loadedPackages.sqlite3, sqlite3.connect(':memory:').execute('select 1').fetchone())",
    ),
    code('raise', 'xs = [1, 2, 3]\nxs[10]'),
    code(
      'numpy',
      "import time\nstart = time.time()\nimport numpy\nprint('numpy', numpy.__version__)\nprint(f'import took {time.time() - start:.3f}s')\ntry:\n    import seaborn\nexcept ModuleNotFoundError as error:\n    print('missing:', error)\n" +
        // ssl and jedi are not loaded at start (kernel/hintbook-pyodide.js) but on first import;
        // meanwhile completion runs without jedi.
        "import sys\nprint('jedi at start:', 'jedi' in sys.modules, get_ipython().Completer.use_jedi)\nimport ssl, jedi\nprint('on first import:', ssl.OPENSSL_VERSION.split()[0], jedi.__version__)",
    ),
    // A control: the kernel's worker tries to reach the CDN, so the test proves that requests
    // from workers go through the route that aborts and counts them.
    code(
      'probe',
      "from js import XMLHttpRequest\nxhr = XMLHttpRequest.new()\nxhr.open('GET', 'https://cdn.jsdelivr.net/hintbook-probe', False)\ntry:\n    xhr.send()\n    print('probe status', xhr.status)\nexcept Exception as error:\n    print('probe blocked:', type(error).__name__)",
    ),
  ],
};
const dataFiles = [
  { name: 'scores.csv', encoding: 'text', content: 'name,score\nada,3\n' },
  {
    name: 'raw/blob.bin',
    encoding: 'base64',
    content: Buffer.from([0, 1, 2, 255]).toString('base64'),
  },
];

function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') {
    return true;
  }
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

function request<T>(page: Page, body: Record<string, unknown>, version = 2): Promise<Response<T>> {
  return page.evaluate(([b, v]) => window.hb.request(b, v), [body, version] as const) as Promise<
    Response<T>
  >;
}

function events(page: Page): Promise<BridgeEvent[]> {
  return page.evaluate(() => window.hb.events) as Promise<BridgeEvent[]>;
}

declare global {
  interface Window {
    hb: {
      events: unknown[];
      responses: string[];
      request(body: Record<string, unknown>, version?: number): Promise<unknown>;
    };
  }
}

describe('the self-hosted JupyterLite site and its bridge', () => {
  let server: SiteServer;
  let context: BrowserContext;
  let userDataDir: string;
  const blocked: string[] = [];

  beforeAll(async () => {
    // Builds only when an input changed (stamp); a cold build takes about a minute.
    const { stdout } = await execFileAsync('bash', ['scripts/build-jupyterlite.sh'], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    console.log(stdout.trim().split('\n').slice(-2).join('\n'));
    server = await startSiteServer(distDir, parentPage);
    userDataDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-lite-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLoopback(url)) {
        return route.continue();
      }
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) {
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  it('ships a runtime config that names no outside host', async () => {
    const config = await readFile(path.join(distDir, 'jupyter-lite.json'), 'utf8');
    const kernel =
      JSON.parse(config)['jupyter-config-data'].litePluginSettings[
        '@jupyterlite/pyodide-kernel-extension:kernel'
      ];
    // Our classic script beside pyodide.js, which the kernel's worker imports: it loads
    // pyodide.js and leaves ssl and jedi for their first import. Their folder is named by the
    // hash of its files (hash_pyodide_dir.py), which nginx serves immutable.
    expect(kernel.pyodideUrl).toMatch(/^\.\/static\/pyodide-[0-9a-f]{16}\/hintbook-pyodide\.js$/);
    expect(existsSync(path.join(distDir, 'static/pyodide'))).toBe(false);
    expect(kernel.loadPyodideOptions.hintbookOnFirstImport).toEqual(['ssl', 'jedi']);
    expect(kernel.loadPyodideOptions.packages).toEqual(expect.arrayContaining(['ssl', 'jedi']));
    expect(kernel.disablePyPIFallback).toBe(true);
    const lock = JSON.parse(
      await readFile(path.join(await pyodideFolder(), 'pyodide-lock.json'), 'utf8'),
    );
    for (const entry of Object.values(lock.packages) as { file_name: string }[]) {
      expect(entry.file_name).not.toMatch(/^https?:/);
    }
  });

  it('opens, runs and reports a notebook over postMessage with no request leaving the machine', async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.warn('page error:', error.stack ?? error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        console.warn(`console ${message.type()}: ${message.text()}`);
      }
    });
    // The kernel's workers: the bridge starts one while the app loads, in the SPA's notebook
    // folder (bridge/src/prestart.ts), and the notebook opened there must get that one.
    const kernelWorkers: Worker[] = [];
    page.on('worker', (worker) => {
      if (worker.url().includes('pyodide-kernel-extension')) kernelWorkers.push(worker);
    });
    const loadStart = Date.now();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(
      () => (window.hb.events as { event: string }[]).some((e) => e.event === 'ready'),
      undefined,
      { timeout: 60_000 },
    );
    const uiReadyMs = Date.now() - loadStart;

    const lite = page.frames().find((f) => f.url().includes('/jupyterlite/')) as Frame;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await lite.evaluate(() => crossOriginIsolated)).toBe(true);

    const ping = await request<{ protocolVersion: number }>(page, { type: 'ping' });
    expect(ping.ok).toBe(true);
    expect(ping.result.protocolVersion).toBe(2);
    const future = await request(page, { type: 'ping' }, 99);
    expect(future.ok).toBe(false);
    expect(future.error?.code).toBe('unsupported-version');

    const openStart = Date.now();
    const opened = await request<{ files: string[] }>(page, {
      type: 'open-notebook',
      path: 'hintbook/lesson.ipynb',
      notebook,
      files: dataFiles,
    });
    expect(opened.ok, JSON.stringify(opened.error)).toBe(true);
    expect(opened.result.files).toEqual(['hintbook/scores.csv', 'hintbook/raw/blob.bin']);

    const first = await request<RunResult>(page, { type: 'run-cell', index: 0 });
    const kernelReadyMs = Date.now() - openStart;
    expect(first.ok, JSON.stringify(first.error)).toBe(true);
    expect(first.result.success, JSON.stringify(first.result.cell.outputs)).toBe(true);
    const printed = first.result.cell.outputs.map((o) => o.text ?? '').join('');
    expect(printed).toContain("['lesson.ipynb', 'raw', 'scores.csv']");
    expect(printed).toContain('ada,3');
    expect(printed).toContain("b'\\x00\\x01\\x02\\xff'");
    // ...and the listing above has no __pycache__: the drive is the student's saved folder.
    expect(printed).toContain('folder before site-packages: True True');
    expect(printed).toContain('start packages: 8.23.0 pyodide default channel (1,)');
    expect(printed).toContain(
      'zip modules compiled once: sitecustomize /lib/python312.zip/json/__init__.py True',
    );
    // One kernel in all: the one started while the app loaded, now the notebook's, running in
    // the notebook's folder (the listing above).
    expect(kernelWorkers).toHaveLength(1);
    // The start modules' bytecode is kept for the next start, and the standard library's
    // (recorded since Python started), under this build's lock hash only, in the one cache the
    // SPA drops when the sign-in changes (frontend/src/features/workspace/kernel-bytecode.ts).
    const pyodideUrlPath = path
      .relative(distDir, await pyodideFolder())
      .split(path.sep)
      .join('/');
    // The start packages came in one bundle, fetched once; no start wheel was fetched.
    const pyodideServed = server.served
      .filter((p) => p.startsWith(`/jupyterlite/${pyodideUrlPath}/`))
      .map((p) => path.posix.basename(p));
    expect(
      pyodideServed.filter((name) => /^hintbook-start-packages-[0-9a-f]{16}\.bin$/.test(name)),
    ).toHaveLength(1);
    expect(pyodideServed.filter((name) => name.endsWith('.whl'))).toEqual([]);
    const lockSha256 = createHash('sha256')
      .update(await readFile(path.join(await pyodideFolder(), 'pyodide-lock.json')))
      .digest('hex');
    await expect
      .poll(() =>
        lite.evaluate(async () =>
          (await (await caches.open('hintbook-bytecode')).keys())
            .map((r) => new URL(r.url).pathname)
            .sort(),
        ),
      )
      .toEqual([
        `/jupyterlite/${pyodideUrlPath}/hintbook-bytecode/${lockSha256}.stdlib`,
        `/jupyterlite/${pyodideUrlPath}/hintbook-bytecode/${lockSha256}.zip`,
      ]);

    const raised = await request<RunResult>(page, { type: 'run-cell', index: 1 });
    expect(raised.ok).toBe(true);
    expect(raised.result.success).toBe(false);
    expect(raised.result.error?.ename).toBe('IndexError');

    const context_ = await request<{
      activeCell: { index: number; source: string };
      lastError: { ename: string; evalue: string; traceback: string; cellIndex: number };
    }>(page, { type: 'get-context' });
    expect(context_.ok).toBe(true);
    expect(context_.result.activeCell.index).toBe(1);
    expect(context_.result.activeCell.source).toContain('xs[10]');
    expect(context_.result.lastError.ename).toBe('IndexError');
    expect(context_.result.lastError.evalue).toContain('list index out of range');
    expect(context_.result.lastError.cellIndex).toBe(1);
    expect(context_.result.lastError.traceback).toContain('xs[10]');
    expect(context_.result.lastError.traceback).not.toContain('\u001b');

    const numpyStart = Date.now();
    const numpy = await request<RunResult>(page, { type: 'run-cell', index: 2 });
    const numpyMs = Date.now() - numpyStart;
    expect(numpy.ok).toBe(true);
    const numpyText = numpy.result.cell.outputs.map((o) => o.text ?? '').join('');
    // numpy ships (loaded from our origin on this first import); seaborn does not, and says so.
    expect(numpyText).toContain('numpy 2.0.2');
    expect(numpyText).toContain(
      'missing: seaborn is not available in this workspace: this Hintbook build does not include it',
    );
    expect(numpyText).toContain('jedi at start: False False');
    expect(numpyText).toContain('on first import: OpenSSL 0.19.1');
    // How long numpy takes to load is a target of bench/workspace-load.ts, not of this test.

    const probe = await request<RunResult>(page, { type: 'run-cell', index: 3 });
    expect(probe.ok).toBe(true);
    expect(probe.result.cell.outputs.map((o) => o.text ?? '').join('')).toContain('probe blocked');

    // Only the parent window may drive the bridge: a request posted from inside the iframe
    // itself gets no answer.
    await lite.evaluate(() =>
      window.postMessage(
        { protocol: 'hintbook-bridge', version: 2, requestId: 'spoofed', type: 'get-notebook' },
        '*',
      ),
    );
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.hb.responses)).not.toContain('spoofed');

    const saved = await request<{ notebook: { cells: { outputs: unknown[] }[] }; dirty: boolean }>(
      page,
      { type: 'get-notebook', markClean: true },
    );
    expect(saved.ok).toBe(true);
    expect(saved.result.dirty).toBe(true);
    expect(saved.result.notebook.cells).toHaveLength(4);
    expect(saved.result.notebook.cells[1]!.outputs).toHaveLength(1);

    await page.waitForFunction(() =>
      (window.hb.events as { event: string; dirty?: boolean }[]).some(
        (e) => e.event === 'dirty' && e.dirty === false,
      ),
    );
    const seen = await events(page);
    const executed = seen.filter((e) => e.event === 'executed');
    expect(executed.map((e) => e.cellIndex)).toEqual([0, 1, 2, 3]);
    expect((executed[1]!.error as { ename: string }).ename).toBe('IndexError');
    expect(seen.some((e) => e.event === 'dirty' && e.dirty === true)).toBe(true);
    expect(seen.some((e) => e.event === 'kernel-status' && e.status === 'idle')).toBe(true);

    const outside = blocked.filter((url) => !url.endsWith('/hintbook-probe'));
    console.log(
      `jupyterlite: UI ready ${uiReadyMs} ms, kernel ready + first cell ${kernelReadyMs} ms, ` +
        `numpy cell ${numpyMs} ms; ${server.requests} requests served, ` +
        `${outside.length} outside requests blocked besides the probe; 404s: ${server.notFound.join(', ') || 'none'}`,
    );
    console.log(`jupyterlite: numpy cell printed: ${numpyText.trim().replace(/\n/g, ' | ')}`);
    expect(blocked).toContain('https://cdn.jsdelivr.net/hintbook-probe');
    expect(outside).toEqual([]);
    await page.close();
  }, 180_000);

  it("checks a cell's current code in the kernel without touching the notebook, and stops an endless loop", async () => {
    const page = await context.newPage();
    let kernelWorkers = 0;
    let closedWorkers = 0;
    page.on('worker', (worker) => {
      if (!worker.url().includes('pyodide-kernel-extension')) return;
      kernelWorkers += 1;
      worker.on('close', () => (closedWorkers += 1));
    });
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(
      () => (window.hb.events as { event: string }[]).some((e) => e.event === 'ready'),
      undefined,
      { timeout: 60_000 },
    );
    const exercise = {
      ...notebook,
      cells: [
        code('helper', 'def twice(x):\n    return 2 * x'),
        code('square', 'def square(x):\n    return twice(x)'),
      ],
    };
    const opened = await request(page, {
      type: 'open-notebook',
      path: 'modules/check/lesson.ipynb',
      notebook: exercise,
    });
    expect(opened.ok, JSON.stringify(opened.error)).toBe(true);
    expect((await request(page, { type: 'run-cell', index: 0 })).ok).toBe(true);
    // Outside the SPA's folder the notebook gets a kernel of its own, in its own folder, and the
    // one started while the app loaded is shut down (bridge/src/prestart.ts). (A worker ended
    // that early may never be reported to Playwright: only the live ones are counted.)
    const where = await request<CheckRun>(page, {
      type: 'run-check',
      cellId: 'helper',
      program: "import os\nprint('cwd', os.getcwd())",
      timeLimitMs: 10_000,
    });
    expect(where.ok, JSON.stringify(where.error)).toBe(true);
    expect(where.result.stdout).toContain('cwd /drive/modules/check');
    expect(kernelWorkers).toBeGreaterThanOrEqual(1);
    await expect.poll(() => kernelWorkers - closedWorkers).toBe(1);
    // This kernel started in the browser of the test above, which kept the standard library's
    // bytecode: Python ran it instead of compiling those modules (python/stdlib/sitecustomize.py).
    const kept = await request<CheckRun>(page, {
      type: 'run-check',
      cellId: 'helper',
      program:
        "import sitecustomize\nprint('kept standard modules run:', sitecustomize.kept_used() > 100)",
      timeLimitMs: 10_000,
    });
    expect(kept.ok, JSON.stringify(kept.error)).toBe(true);
    expect(kept.result.stdout).toContain('kept standard modules run: True');

    // A stand-in for the SPA's check program: it reads the code, runs it beside the student's
    // variables and prints one marked line.
    const program =
      "import json\nns = dict(globals())\nexec(__hintbook_code__, ns)\nprint('@@mark@@' + json.dumps({'square3': ns['square'](3), 'code': __hintbook_code__}))";
    type CheckRun = {
      code: string;
      stdout: string;
      timedOut: boolean;
      durationMs: number;
      error: { ename: string } | null;
    };
    const checked = await request<CheckRun>(page, {
      type: 'run-check',
      cellId: 'square',
      program,
      timeLimitMs: 10_000,
    });
    expect(checked.ok, JSON.stringify(checked.error)).toBe(true);
    expect(checked.result.timedOut).toBe(false);
    expect(checked.result.code).toBe('def square(x):\n    return twice(x)');
    const line = checked.result.stdout.split('\n').find((l) => l.startsWith('@@mark@@'))!;
    expect(JSON.parse(line.slice('@@mark@@'.length))).toMatchObject({ square3: 6 });

    const missing = await request(page, {
      type: 'run-check',
      cellId: 'nope',
      program,
      timeLimitMs: 1_000,
    });
    expect(missing.error?.code).toBe('not-found');

    const looping = await request<CheckRun>(page, {
      type: 'run-check',
      cellId: 'square',
      program: 'while True:\n    pass',
      timeLimitMs: 1_500,
    });
    expect(looping.ok, JSON.stringify(looping.error)).toBe(true);
    expect(looping.result.timedOut).toBe(true);

    // The notebook is as it was: no test cell, no output, no execution count from the checks.
    const after = await request<{
      notebook: { cells: { id: string; outputs: unknown[]; execution_count: number | null }[] };
    }>(page, { type: 'get-notebook' });
    expect(after.result.notebook.cells.map((c) => c.id)).toEqual(['helper', 'square']);
    expect(after.result.notebook.cells[1]!.outputs).toEqual([]);
    expect(after.result.notebook.cells[1]!.execution_count).toBeNull();

    // The restarted kernel runs cells again.
    const rerun = await request<RunResult>(page, { type: 'run-cell', index: 0 });
    expect(rerun.ok, JSON.stringify(rerun.error)).toBe(true);
    expect(rerun.result.success).toBe(true);
    await page.close();
  }, 180_000);
});
