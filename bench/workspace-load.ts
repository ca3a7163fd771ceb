/// <reference lib="dom" />
// (DOM types: e2e/support/browser.ts and the page-side recorder below run in the browser.)
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Request, Worker } from 'playwright-core';
import { startFakeOpenAI, type FakeServer } from '../backend/src/test/fake-providers/index.js';
import { guardNetwork, isLoopbackHost, launchBrowser } from '../e2e/support/browser.js';
import { repoRoot } from '../e2e/support/nginx.js';
import { assertBuildIsFresh, startStack, type Stack } from '../e2e/support/stack.js';
import { printTable, type Row } from './lib/report.js';
import { round } from './lib/stats.js';
import { NUMPY_CELL, runNewCell, runPlotCell } from './lib/workspace-science.js';

/**
 * Hintbook's workspace-load benchmark: the built SPA, backend and JupyterLite site behind the
 * repository's nginx (the e2e stack), opened in Debian's Chromium. Cold load (empty HTTP cache),
 * warm load (same browser context, cache populated) and the bytes a cold load moves, then the
 * first `import numpy` after each load and, on an empty cache, the data notebook's pandas +
 * matplotlib plot (bench/lib/workspace-science.ts). See bench/README.md, "Workspace load".
 *   node --import tsx bench/workspace-load.ts [--quick]
 */

const quick = process.argv.includes('--quick');
const RUNS = quick ? 1 : 3;
const blockServiceWorkers = process.env.BENCH_BLOCK_SW === '1';
/** BENCH_JUPYTERLITE_DIR: another built site (e.g. a copy of main's) to compare with, A/B. */
const jupyterliteDir = process.env.BENCH_JUPYTERLITE_DIR || undefined;
const liteDir = jupyterliteDir ?? path.join(repoRoot, 'jupyterlite/dist');
const TARGETS = {
  coldReadyS: 10,
  warmReadyS: 4,
  coldMb: 8,
  numpyWarmS: 1,
  numpyColdS: 3,
  plotColdS: 8,
};
/** MB here is 10^6 bytes. */
const MB = 1_000_000;
const READY_TIMEOUT_MS = 90_000;
/** A response larger than this (decoded) without content-encoding is flagged. */
const UNCOMPRESSED_FLAG_BYTES = 100 * 1024;
const PASSWORD = 'a bench password that is long enough';
const NOTEBOOK_TITLE = '2. Lists and loops';
const DATA_NOTEBOOK_TITLE = '4. A small data task';
/** Formats that are compressed already: gzip would win little on them. */
const PRECOMPRESSED_FORMAT = /\.(whl|zip|png|jpe?g|gif|webp|woff2?|gz|br)$/i;
/** Non-loopback traffic goes to this dead proxy and fails; Chromium never proxies loopback. */
const DEAD_PROXY = 'http://127.0.0.1:9';

const startedAt = performance.now();
const elapsed = () => performance.now() - startedAt;
const log = (message: string) => console.log(`[${(elapsed() / 1000).toFixed(1)}s] ${message}`);

let fake: FakeServer | undefined;
let stack: Stack | undefined;
let browser: Browser | undefined;

async function cleanup() {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
  await fake?.close();
}

/** A request as the page saw it (the page, its iframe and their workers). */
interface Transfer {
  path: string;
  resourceType: string;
  status: number | null;
  contentEncoding: string | null;
  /** Answered by JupyterLite's service worker (which then fetched it, or not, itself). */
  fromServiceWorker: boolean;
  failure: string | null;
}

/** One line of nginx's access log (nginx/nginx.conf, log_format hintbook). */
interface NginxLine {
  uri: string;
  status: number;
  /** body_bytes_sent: the response body as sent, i.e. compressed when it was compressed. */
  bytes: number;
}

type Served =
  | 'brotli_static (.br file)'
  | 'gzip_static (.gz file)'
  | 'gzip on the fly'
  | 'identity'
  | 'proxied'
  | 'no body';

/** A response nginx sent, with its decoded size and how it was compressed. */
interface Sent extends NginxLine {
  decodedBytes: number | null;
  served: Served;
  /** What the response would have weighed without brotli: its .gz copy where one exists. */
  gzipBytes: number;
}

interface LoadResult {
  kind: 'cold' | 'warm';
  run: number;
  /** page.goto() called → the workspace's loading panel removed, on the page's clock. */
  readyMs: number;
  /** The same, when Playwright's polling noticed it (up to 0.5 s later; informational). */
  seenReadyMs: number;
  /** Loading panel gone → the first code cell's output on screen (informational). */
  firstCellMs: number | null;
  /** A new cell's `import numpy` run → its output (numpy cold on a cold load, cached on warm). */
  numpyMs: number | null;
  /** When each loading step began and the panel went, in ms since navigation start (in page). */
  steps: Array<{ step: string; atMs: number }>;
  /**
   * The kernel's worker on the same clock (ms since navigation): when it was created, and the
   * marks jupyterlite/kernel/hintbook-pyodide.js sets in it (last kernel worker of the load).
   */
  kernelMarks: Array<{ mark: string; atMs: number }>;
  /** What the workspace frame fetched (resource timing), on the same clock: where its start waits. */
  frameResources: FrameResource[];
  transfers: Transfer[];
  nginx: Sent[];
  nonLoopback: string[];
}

/** The rendered nginx of this stack, found by its listen port (startStack does not expose it). */
function findNginxAccessLog(baseUrl: string): string | null {
  const port = new URL(baseUrl).port;
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith('hintbook-nginx-test-')) continue;
    const dir = path.join(os.tmpdir(), name);
    const conf = path.join(dir, 'conf.d', 'hintbook.conf');
    try {
      if (readFileSync(conf, 'utf8').includes(`127.0.0.1:${port};`)) {
        return path.join(dir, 'logs', 'access.log');
      }
    } catch {
      // Another run's folder, gone or unreadable.
    }
  }
  return null;
}

function nginxLinesSince(file: string, offset: number): NginxLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file)
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as NginxLine);
}

const fileSize = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/** The file nginx serves for a URL path (static files only), or null. */
function staticFile(urlPath: string): string | null {
  const decoded = decodeURIComponent(urlPath);
  const candidates = decoded.startsWith('/jupyterlite/')
    ? [path.join(liteDir, decoded.slice('/jupyterlite/'.length))]
    : decoded.startsWith('/api/') || decoded.startsWith('/socket.io/')
      ? []
      : [
          path.join(repoRoot, 'frontend/dist', decoded),
          path.join(repoRoot, 'frontend/dist/index.html'),
        ];
  for (const candidate of candidates) {
    if (candidate.endsWith('/')) continue;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

async function describeTransfer(request: Request, failure: string | null): Promise<Transfer> {
  const response = failure ? null : await request.response().catch(() => null);
  const headers: Record<string, string> = response
    ? await response.allHeaders().catch(() => ({}))
    : {};
  return {
    path: new URL(request.url()).pathname,
    resourceType: request.resourceType(),
    status: response?.status() ?? null,
    contentEncoding: headers['content-encoding'] ?? null,
    fromServiceWorker: response?.fromServiceWorker() ?? false,
    failure,
  };
}

/**
 * How nginx sent a response, from its size: a static file sent whole was not compressed, one
 * sent at its `.gz` sibling's size came from gzip_static, anything smaller was gzipped on the fly.
 */
function classify(line: NginxLine): Sent {
  if (line.bytes === 0) return { ...line, decodedBytes: 0, served: 'no body', gzipBytes: 0 };
  const file = staticFile(line.uri);
  if (!file) return { ...line, decodedBytes: null, served: 'proxied', gzipBytes: line.bytes };
  const size = statSync(file).size;
  const served: Served =
    line.bytes === size
      ? 'identity'
      : line.bytes === fileSize(`${file}.br`)
        ? 'brotli_static (.br file)'
        : line.bytes === fileSize(`${file}.gz`)
          ? 'gzip_static (.gz file)'
          : 'gzip on the fly';
  const gzipBytes = served === 'brotli_static (.br file)' ? fileSize(`${file}.gz`) : line.bytes;
  return { ...line, decodedBytes: size, served, gzipBytes };
}

/**
 * Runs in the page (an init script, so the SPA's CSP does not apply): notes when the loading
 * panel's title changes step and when the panel goes away, on the page's own clock. A string,
 * not a function: tsx would add helper calls the page does not have.
 */
const RECORD_LOADING_STEPS = `
  if (window.top === window) {
    const steps = (window.__benchSteps = []);
    let last = '';
    new MutationObserver(() => {
      const title = document.querySelector('.loading-steps-title');
      const step = title ? (title.firstChild?.textContent ?? '').trim() : last ? 'ready' : '';
      if (step && step !== last && last !== 'ready') {
        steps.push({ step, atMs: Math.round(performance.now()) });
        last = step;
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  }
`;

/**
 * Ready, from the `page.goto()` call to the moment the page removed its loading panel, as the
 * page's own MutationObserver saw it (RECORD_LOADING_STEPS; `performance.timeOrigin` and Node's
 * `Date.now()` read the same system clock). Not when Playwright noticed: `locator.waitFor` polls
 * with a back-off that ends at every 500 ms, which added 0.1–0.5 s to a load at random.
 */
function readyOnPageClock(
  steps: LoadResult['steps'],
  timeOrigin: number,
  startEpochMs: number,
): number | null {
  const ready = steps.find((step) => step.step === 'ready');
  return ready ? timeOrigin + ready.atMs - startEpochMs : null;
}

const isWebUrl = (url: URL) => ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol);

/** What a kernel start is made of, in order (KERNEL_MARKS' names, then the page's "ready"). */
const KERNEL_MARKS: Array<[mark: string, label: string]> = [
  ['frame', 'workspace frame navigates'],
  ['hintbook:prestart', 'prestart plugin runs'],
  ['hintbook:kernel-session-asked', 'kernel session asked for'],
  ['worker', 'worker created'],
  ['hintbook:kernel-script', 'Pyodide asked for'],
  ['hintbook:python-start', 'Python starts'],
  ['hintbook:start-packages-loaded', 'start packages loaded'],
  ['hintbook:kernel-modules-imported', 'kernel modules imported'],
];

interface FrameResource {
  path: string;
  startMs: number;
  endMs: number;
}

/** Runs in a frame or a worker: its clock's origin, the `hintbook:` marks and what it fetched. */
function hintbookMarks() {
  return {
    origin: performance.timeOrigin,
    marks: performance
      .getEntriesByType('mark')
      .filter((entry) => entry.name.startsWith('hintbook:'))
      .map((entry) => ({ mark: entry.name, atMs: entry.startTime })),
    resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
      (entry) => ({ path: entry.name, startMs: entry.startTime, endMs: entry.responseEnd }),
    ),
  };
}

/**
 * On the page's clock: when the workspace frame started navigating and the bridge's marks in it
 * (jupyterlite/bridge/src/prestart.ts), then the kernel worker's creation and its marks; each
 * part is left out when its frame or worker is gone.
 */
async function readKernelMarks(page: Page, worker: Worker | undefined) {
  const pageOrigin = await page.evaluate(() => performance.timeOrigin);
  const clock =
    ({ origin }: { origin: number }) =>
    (ms: number) =>
      Math.round(origin + ms - pageOrigin);
  const onPageClock = (name: string, found: ReturnType<typeof hintbookMarks>) => {
    const at = clock(found);
    return [{ mark: name, atMs: at(0) }, ...found.marks.map((m) => ({ ...m, atMs: at(m.atMs) }))];
  };
  const frame = page.frames().find((f) => f.url().includes('/jupyterlite/lab/'));
  const inFrame = await frame?.evaluate(hintbookMarks).catch(() => undefined);
  const inWorker = await worker?.evaluate(hintbookMarks).catch(() => undefined);
  const at = inFrame ? clock(inFrame) : () => NaN;
  return {
    marks: [
      ...(inFrame ? onPageClock('frame', inFrame) : []),
      ...(inWorker ? onPageClock('worker', inWorker) : []),
    ],
    frameResources: (inFrame?.resources ?? []).map((r) => ({
      path: new URL(r.path).pathname,
      startMs: at(r.startMs),
      endMs: at(r.endMs),
    })),
  };
}

/**
 * One load: a new tab in `context`, navigate to the workspace, wait until the loading panel is
 * gone ("kernel ready", as e2e/browser/workspace.test.ts waits for it), then run the first code
 * cell and wait for its output.
 */
async function measureLoad(
  context: BrowserContext,
  workspacePath: string,
  kind: 'cold' | 'warm',
  run: number,
  accessLog: string,
): Promise<LoadResult> {
  const page = await context.newPage();
  await page.addInitScript({ content: RECORD_LOADING_STEPS });
  let kernelWorker: Worker | undefined;
  page.on('worker', (worker) => {
    if (worker.url().includes('pyodide-kernel-extension')) kernelWorker = worker;
  });
  const pending: Array<Promise<Transfer>> = [];
  const nonLoopback: string[] = [];
  let isCounting = true;
  const inFlight = new Set<Request>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (isWebUrl(url) && !isLoopbackHost(url.hostname)) nonLoopback.push(url.href);
    if (isCounting && isWebUrl(url)) inFlight.add(request);
  });
  page.on('requestfinished', (request) => {
    if (!inFlight.delete(request)) return;
    pending.push(describeTransfer(request, null));
  });
  page.on('requestfailed', (request) => {
    if (!inFlight.delete(request)) return;
    pending.push(describeTransfer(request, request.failure()?.errorText ?? 'failed'));
  });
  const logOffset = fileSize(accessLog);

  const start = performance.now();
  const startEpochMs = Date.now();
  await page.goto(workspacePath, { waitUntil: 'commit' });
  await page
    .getByRole('status')
    .filter({ hasText: 'Loading the notebook app' })
    .waitFor({ timeout: READY_TIMEOUT_MS });
  await page.locator('.loading-steps').waitFor({ state: 'detached', timeout: READY_TIMEOUT_MS });
  const seenReadyMs = performance.now() - start;
  isCounting = false;
  const { steps, timeOrigin } = await page.evaluate(() => ({
    steps: (window as unknown as { __benchSteps: LoadResult['steps'] }).__benchSteps,
    timeOrigin: performance.timeOrigin,
  }));
  const readyMs = readyOnPageClock(steps, timeOrigin, startEpochMs) ?? seenReadyMs;
  const { marks: kernelMarks, frameResources } = await readKernelMarks(page, kernelWorker);
  // Requests that started before "ready" and are still running (socket.io polling, autosave
  // probes) are given a moment to finish; a long poll that does not is counted as it stands.
  const drainUntil = performance.now() + 3_000;
  while (inFlight.size > 0 && performance.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const transfers = await Promise.all(pending);
  const nginx = nginxLinesSince(accessLog, logOffset).map(classify);

  let firstCellMs: number | null = null;
  try {
    const cellStart = performance.now();
    const firstCode = page
      .frameLocator('iframe[title^="Notebook:"]')
      .locator('.jp-Notebook .jp-Cell')
      .nth(1);
    const editor = firstCode.locator('.cm-content');
    await editor.click();
    await editor.press('Shift+Enter');
    await firstCode
      .locator('.jp-OutputArea-output')
      .filter({ hasText: 'apple' })
      .first()
      .waitFor({ timeout: 30_000 });
    firstCellMs = performance.now() - cellStart;
  } catch (error) {
    console.warn(`warning: ${kind} run ${run}: the first cell did not print: ${String(error)}`);
  }
  let numpyMs: number | null = null;
  try {
    numpyMs = await runNewCell(page, 1, NUMPY_CELL, 'numpy ready', 60_000);
  } catch (error) {
    console.warn(`warning: ${kind} run ${run}: import numpy did not finish: ${String(error)}`);
  }
  await page.close();
  return {
    kind,
    run,
    readyMs,
    seenReadyMs,
    firstCellMs,
    numpyMs,
    steps,
    kernelMarks,
    frameResources,
    transfers,
    nginx,
    nonLoopback,
  };
}

/** Registers a new student through the UI (as the e2e test does) and finds the starter notebook. */
async function registerStudent(): Promise<{
  state: Awaited<ReturnType<BrowserContext['storageState']>>;
  workspacePath: string;
  dataNotebookPath: string;
  blocked: string[];
}> {
  const context = await browser!.newContext({ baseURL: stack!.baseUrl });
  const guard = await guardNetwork(context);
  const page = await context.newPage();
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await page.goto('/register');
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await page.getByLabel('Email').fill(`wl-${tag}@example.test`);
  await page.getByLabel('Username').fill(`wl_${tag}`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page
    .getByRole('group', { name: 'How much programming have you done?' })
    .getByRole('radio', { name: /New to it/ })
    .check();
  await page
    .getByRole('group', { name: 'How comfortable are you with maths?' })
    .getByRole('radio', { name: /Getting there/ })
    .check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Modules' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Modules' }).waitFor();
  const href = await page
    .getByRole('region', { name: 'Getting started with Python' })
    .getByRole('link', { name: NOTEBOOK_TITLE })
    .getAttribute('href');
  if (!href) throw new Error(`no link to "${NOTEBOOK_TITLE}" on the modules page`);
  const dataHref = await page
    .getByRole('region', { name: 'Getting started with Python' })
    .getByRole('link', { name: DATA_NOTEBOOK_TITLE })
    .getAttribute('href');
  if (!dataHref) throw new Error(`no link to "${DATA_NOTEBOOK_TITLE}" on the modules page`);
  // Cookies only (the refresh token): the timed context starts with an empty HTTP cache.
  const state = await context.storageState();
  await context.close();
  return { state, workspacePath: href, dataNotebookPath: dataHref, blocked: guard.blocked };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(2)} MB`;
const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function summarizeLoad(load: LoadResult) {
  const { transfers, nginx } = load;
  const statuses = [...new Set(nginx.map((line) => line.status))].sort();
  return {
    browserRequests: transfers.length,
    failed: transfers.filter((t) => t.failure).length,
    fromServiceWorker: transfers.filter((t) => t.fromServiceWorker).length,
    nginxResponses: nginx.length,
    nginxStatus: Object.fromEntries(
      statuses.map((status) => [status, nginx.filter((line) => line.status === status).length]),
    ),
    /** body_bytes_sent summed: what went over the wire, compressed where it was compressed. */
    encodedBytes: sum(nginx.map((line) => line.bytes)),
    /** The same responses with the .gz copies instead of .br (an nginx without brotli). */
    gzipOnlyBytes: sum(nginx.map((line) => line.gzipBytes)),
    /** Static files at their size on disk; proxied (API) bodies at their sent size. */
    decodedBytes: sum(nginx.map((line) => line.decodedBytes ?? line.bytes)),
  };
}

async function main() {
  if (!existsSync(path.join(liteDir, 'lab/index.html'))) {
    throw new Error(`${liteDir} is missing: run \`npm run build:jupyterlite\` first.`);
  }
  await assertBuildIsFresh();
  const hardStop = setTimeout(
    () => {
      console.error('bench: hard time limit reached, stopping');
      void cleanup().finally(() => process.exit(2));
    },
    RUNS * 4 * READY_TIMEOUT_MS + 120_000,
  );
  hardStop.unref();
  const loadBefore = os.loadavg();

  fake = await startFakeOpenAI();
  stack = await startStack({
    env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'test' },
    jupyterliteDir,
  });
  const accessLog = findNginxAccessLog(stack.baseUrl);
  if (!accessLog) throw new Error(`no rendered nginx folder listens on ${stack.baseUrl}`);
  log(`stack at ${stack.baseUrl} (${stack.database}); nginx access log ${accessLog}`);
  browser = await launchBrowser();
  log(`Chromium ${browser.version()}`);

  const loads: LoadResult[] = [];
  const plotColdMs: number[] = [];
  const setupBlocked: string[] = [];
  const serviceWorkers = new Set<string>();
  for (let run = 1; run <= RUNS; run += 1) {
    const student = await registerStudent();
    setupBlocked.push(...student.blocked);
    // No context.route() here: Playwright disables the HTTP cache while routing is on, which
    // would make every load cold. The dead proxy keeps non-loopback traffic off the network.
    const newContext = (storageState: typeof student.state) =>
      browser!.newContext({
        baseURL: stack!.baseUrl,
        viewport: { width: 1440, height: 900 },
        storageState,
        proxy: { server: DEAD_PROXY, bypass: '<loopback>' },
        // BENCH_BLOCK_SW=1: without JupyterLite's service worker, to see what it costs or saves.
        serviceWorkers: blockServiceWorkers ? 'block' : 'allow',
      });
    const context = await newContext(student.state);
    // The refresh token rotates on use: the plot's context needs the cookies as they are after
    // the loads (the sign-up's token is spent, and the backend refuses a reused one).
    let latestState = student.state;
    try {
      const cold = await measureLoad(context, student.workspacePath, 'cold', run, accessLog);
      loads.push(cold);
      log(
        `cold ${run}: ready in ${seconds(cold.readyMs)}, ${megabytes(summarizeLoad(cold).encodedBytes)} sent`,
      );
      const warm = await measureLoad(context, student.workspacePath, 'warm', run, accessLog);
      loads.push(warm);
      log(
        `warm ${run}: ready in ${seconds(warm.readyMs)}, ${megabytes(summarizeLoad(warm).encodedBytes)} sent`,
      );
      for (const worker of context.serviceWorkers()) serviceWorkers.add(worker.url());
    } finally {
      latestState = await context.storageState().catch(() => latestState);
      await context.close();
    }
    // The data notebook's plot on an empty cache: pandas, matplotlib and their dependencies
    // all come over the network on this first import.
    const plotContext = await newContext(latestState);
    try {
      const page = await plotContext.newPage();
      await page.goto(student.dataNotebookPath, { waitUntil: 'commit' });
      await page.locator('.loading-steps').waitFor({ timeout: READY_TIMEOUT_MS });
      await page
        .locator('.loading-steps')
        .waitFor({ state: 'detached', timeout: READY_TIMEOUT_MS });
      const ms = await runPlotCell(page, READY_TIMEOUT_MS);
      plotColdMs.push(ms);
      log(`plot ${run}: pandas + matplotlib + plot shown in ${seconds(ms)} (empty cache)`);
    } catch (error) {
      console.warn(`warning: run ${run}: the data notebook's plot did not show: ${String(error)}`);
    } finally {
      await plotContext.close();
    }
  }
  const { nonLoopback } = report({
    loads,
    plotColdMs,
    setupBlocked,
    serviceWorkers: [...serviceWorkers],
    loadBefore,
  });
  if (nonLoopback.length > 0) throw new Error('requests tried to leave loopback (listed above)');
}

function report(figures: {
  loads: LoadResult[];
  plotColdMs: number[];
  setupBlocked: string[];
  serviceWorkers: string[];
  loadBefore: number[];
}): { nonLoopback: string[] } {
  const { loads } = figures;
  const cold = loads.filter((load) => load.kind === 'cold');
  const warm = loads.filter((load) => load.kind === 'warm');
  const coldSummaries = cold.map(summarizeLoad);
  const warmSummaries = warm.map(summarizeLoad);
  const stats = (values: number[]) => ({ median: median(values), max: Math.max(...values) });
  const coldReady = stats(cold.map((load) => load.readyMs));
  const warmReady = stats(warm.map((load) => load.readyMs));
  const coldBytes = stats(coldSummaries.map((s) => s.encodedBytes));
  const numpyCold = cold.map((load) => load.numpyMs).filter((ms): ms is number => ms !== null);
  const numpyWarm = warm.map((load) => load.numpyMs).filter((ms): ms is number => ms !== null);
  const medianOrNaN = (values: number[]) => (values.length ? median(values) : NaN);
  const firstCell = (runs: LoadResult[]) => {
    const values = runs.map((load) => load.firstCellMs).filter((ms): ms is number => ms !== null);
    return values.length ? seconds(median(values)) : 'n/a';
  };
  // The loading panel's steps on the page's clock: when each one began, median over the runs.
  const phases = (runs: LoadResult[]) =>
    ['Opening your notebook', 'Starting Python', 'ready']
      .map((step) => {
        const at = runs.flatMap((load) => load.steps.filter((s) => s.step === step));
        return at.length ? seconds(median(at.map((s) => s.atMs))) : 'n/a';
      })
      .join(' / ');
  // The kernel worker's marks on the same clock, median over the runs.
  const kernelPhases = (runs: LoadResult[]) =>
    KERNEL_MARKS.map(([mark]) => {
      const at = runs.flatMap((load) => load.kernelMarks.filter((m) => m.mark === mark));
      return at.length ? seconds(median(at.map((m) => m.atMs))) : 'n/a';
    }).join(' / ');
  const kernelLabels = KERNEL_MARKS.map(([, label]) => label).join(' / ');
  const nonLoopback = [
    ...new Set([...figures.setupBlocked, ...loads.flatMap((load) => load.nonLoopback)]),
  ];

  // The last run is shown in detail (every cold load fetches the same files).
  const shownCold = cold.at(-1)!;
  const shownWarm = warm.at(-1)!;
  const coldSummary = summarizeLoad(shownCold);
  const warmSummary = summarizeLoad(shownWarm);
  const top = [...shownCold.nginx].sort((a, b) => b.bytes - a.bytes).slice(0, 10);
  const uncompressed = shownCold.nginx
    .filter((line) => line.served === 'identity' && line.bytes > UNCOMPRESSED_FLAG_BYTES)
    .sort((a, b) => b.bytes - a.bytes)
    .map((line) => {
      const file = staticFile(line.uri)!;
      return {
        uri: line.uri,
        bytes: line.bytes,
        compressedFormat: PRECOMPRESSED_FORMAT.test(line.uri),
        gzFileExists: existsSync(`${file}.gz`),
        gzip9Bytes: gzipSync(readFileSync(file), { level: 9 }).length,
      };
    });
  const revalidated = shownWarm.nginx.filter((line) => line.status === 304);
  const refetched = shownWarm.nginx.filter((line) => line.status !== 304);
  const byFolder = (lines: NginxLine[]) => {
    const counts = new Map<string, number>();
    for (const line of lines) {
      const folder = path.posix.dirname(line.uri);
      counts.set(folder, (counts.get(folder) ?? 0) + 1);
    }
    return [...counts].map(([folder, count]) => `${folder} ${count}`).join(', ');
  };

  const rows: Row[] = [
    {
      metric: `Cold load → kernel ready (empty cache; median / max of ${cold.length})`,
      measured: `${seconds(coldReady.median)} / ${seconds(coldReady.max)}`,
      target: `≤ ${TARGETS.coldReadyS} s`,
      pass: coldReady.median <= TARGETS.coldReadyS * 1000,
    },
    {
      metric: `Warm load → kernel ready (same context; median / max of ${warm.length})`,
      measured: `${seconds(warmReady.median)} / ${seconds(warmReady.max)}`,
      target: `≤ ${TARGETS.warmReadyS} s`,
      pass: warmReady.median <= TARGETS.warmReadyS * 1000,
    },
    {
      metric: '  steps, cold: app up / notebook open / Python ready (since navigation)',
      measured: phases(cold),
      target: '—',
    },
    {
      metric: '  steps, warm: app up / notebook open / Python ready (since navigation)',
      measured: phases(warm),
      target: '—',
    },
    {
      metric: `  kernel, cold: ${kernelLabels} (since navigation)`,
      measured: kernelPhases(cold),
      target: '—',
    },
    {
      metric: `  kernel, warm: ${kernelLabels} (since navigation)`,
      measured: kernelPhases(warm),
      target: '—',
    },
    {
      metric: `Bytes sent on a cold load, compressed (median / max of ${cold.length})`,
      measured:
        `${megabytes(coldBytes.median)} / ${megabytes(coldBytes.max)} ` +
        `(${coldSummary.nginxResponses} responses)`,
      target: `≤ ${TARGETS.coldMb} MB`,
      pass: coldBytes.median <= TARGETS.coldMb * MB,
    },
    {
      metric: '  same load without brotli (.gz copies: an nginx without brotli_static)',
      measured: megabytes(coldSummary.gzipOnlyBytes),
      target: '—',
    },
    {
      metric: '  same load, uncompressed',
      measured: megabytes(coldSummary.decodedBytes),
      target: '—',
    },
    {
      metric: `  sent without compression, responses > ${kilobytes(UNCOMPRESSED_FLAG_BYTES)}`,
      measured: `${uncompressed.length} (${megabytes(sum(uncompressed.map((u) => u.bytes)))})`,
      target: '—',
    },
    {
      metric: 'Bytes sent on a warm load / responses (by status)',
      measured:
        `${megabytes(warmSummary.encodedBytes)} / ${warmSummary.nginxResponses} ` +
        `${JSON.stringify(warmSummary.nginxStatus)}`,
      target: '—',
    },
    {
      metric: 'Ready → first cell output (cold / warm, median)',
      measured: `${firstCell(cold)} / ${firstCell(warm)}`,
      target: '—',
    },
    {
      metric: `First \`import numpy\` after a warm load (files cached; median of ${numpyWarm.length})`,
      measured: seconds(medianOrNaN(numpyWarm)),
      target: `≤ ${TARGETS.numpyWarmS} s`,
      pass: medianOrNaN(numpyWarm) <= TARGETS.numpyWarmS * 1000,
    },
    {
      metric: `First \`import numpy\` after a cold load (files fetched; median of ${numpyCold.length})`,
      measured: seconds(medianOrNaN(numpyCold)),
      target: `≤ ${TARGETS.numpyColdS} s`,
      pass: medianOrNaN(numpyCold) <= TARGETS.numpyColdS * 1000,
    },
    {
      metric: `\`import pandas, matplotlib\` + first plot shown, empty cache (median of ${figures.plotColdMs.length})`,
      measured: seconds(medianOrNaN(figures.plotColdMs)),
      target: `≤ ${TARGETS.plotColdS} s`,
      pass: medianOrNaN(figures.plotColdMs) <= TARGETS.plotColdS * 1000,
    },
    {
      metric: 'Non-loopback requests (every load and sign-up)',
      measured: `${nonLoopback.length}`,
      target: '0',
      pass: nonLoopback.length === 0,
    },
  ];

  console.log('');
  printTable(rows);
  console.log('');
  console.log(`Cold load ${shownCold.run}: the 10 largest responses (bytes sent):`);
  printTable(
    top.map((line) => ({
      metric: line.uri,
      measured:
        `${kilobytes(line.bytes)}` +
        (line.decodedBytes === null ? '' : ` of ${kilobytes(line.decodedBytes)}`),
      target: line.served,
    })),
  );
  if (uncompressed.length > 0) {
    console.log('');
    console.log('Sent without compression:');
    printTable(
      uncompressed.map((u) => ({
        metric: u.uri,
        measured: `${kilobytes(u.bytes)}; gzip -9 would be ${kilobytes(u.gzip9Bytes)}`,
        target: `${u.compressedFormat ? 'compressed format' : 'compressible'}, ${u.gzFileExists ? '.gz exists' : 'no .gz'}`,
      })),
    );
  }
  console.log('');
  console.log(
    `Warm load ${shownWarm.run}: the page made ${warmSummary.browserRequests} requests ` +
      `(${warmSummary.fromServiceWorker} answered by JupyterLite's service worker, which passes ` +
      `them to the network and the HTTP cache); nginx answered ${revalidated.length} with 304 ` +
      `(revalidated: ${byFolder(revalidated) || 'none'}) and ${refetched.length} with a body ` +
      `(${byFolder(refetched) || 'none'}); the rest came from the HTTP cache without a request.`,
  );
  console.log(
    `Service workers registered: ${figures.serviceWorkers.length ? figures.serviceWorkers.join(', ') : 'none'}.`,
  );
  if (nonLoopback.length > 0) console.log(`Non-loopback requests: ${nonLoopback.join(', ')}`);

  const loadAfter = os.loadavg();
  const machine = {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    chromium: browser?.version(),
    loadAverageBefore: figures.loadBefore.map((value) => round(value, 2)),
    loadAverageAfter: loadAfter.map((value) => round(value, 2)),
  };
  const perRun = (runs: LoadResult[], summaries: Array<ReturnType<typeof summarizeLoad>>) =>
    runs.map((load, i) => ({
      run: load.run,
      readyMs: round(load.readyMs, 0),
      seenReadyMs: round(load.seenReadyMs, 0),
      firstCellMs: round(load.firstCellMs ?? NaN, 0),
      numpyMs: round(load.numpyMs ?? NaN, 0),
      steps: load.steps,
      kernelMarks: load.kernelMarks,
      frameResources: load.frameResources,
      ...summaries[i],
    }));
  const resultsDir = path.join(repoRoot, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'workspace-load.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        settings: {
          quick,
          runs: RUNS,
          blockServiceWorkers,
          jupyterliteDir: liteDir,
          uncompressedFlagBytes: UNCOMPRESSED_FLAG_BYTES,
          mb: MB,
        },
        targets: TARGETS,
        summary: rows,
        cold: { readyMs: coldReady, encodedBytes: coldBytes, runs: perRun(cold, coldSummaries) },
        plotColdMs: figures.plotColdMs.map((ms) => round(ms, 0)),
        warm: { readyMs: warmReady, runs: perRun(warm, warmSummaries) },
        coldTop10: top,
        uncompressed,
        serviceWorkers: figures.serviceWorkers,
        nonLoopback,
        coldResponses: shownCold.nginx,
        coldRequests: shownCold.transfers,
        warmResponses: shownWarm.nginx,
        warmRequests: shownWarm.transfers,
        durationS: round(elapsed() / 1000, 1),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nRaw figures: bench/results/workspace-load.json`);
  console.log(
    `${machine.nproc} cores, load average ${machine.loadAverageBefore.join(' ')} before / ` +
      `${machine.loadAverageAfter.join(' ')} after, Node ${machine.node}, ` +
      `Chromium ${machine.chromium}, ${round(elapsed() / 1000, 0)} s`,
  );
  if (Math.max(figures.loadBefore[0]!, loadAfter[0]!) > machine.nproc / 2) {
    console.log(
      'warning: the machine was busy (1-minute load average above half the cores): ' +
        'load times are inflated; rerun on a quiet machine for a baseline.',
    );
  }
  return { nonLoopback };
}

let failed = false;
const interrupt = () => {
  failed = true;
  void cleanup().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);
try {
  await main();
} catch (error) {
  failed = true;
  console.error('bench failed:', error);
  if (stack) console.error(stack.logs().slice(-4_000));
}
await cleanup();
process.exit(failed ? 1 : 0);
