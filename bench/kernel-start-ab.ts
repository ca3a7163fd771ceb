import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { parentPage } from '../e2e/jupyterlite/parent-page.js';
import { startSiteServer } from '../e2e/jupyterlite/site-server.js';

/**
 * Kernel starts of two built JupyterLite sites, alternated, without nginx or the SPA: each site
 * served by the bridge test's server (e2e/jupyterlite/site-server.ts, isolation headers) in its
 * own Chromium profile, opened through the bridge test's parent page. One cold load each, then
 * ROUNDS warm loads of each, alternating which goes first. Prints, per load, navigation → bridge
 * ready ("up"), → the first cell's output ("ready"), and the kernel worker's creation and
 * marks (jupyterlite/kernel/hintbook-pyodide.js), in ms since navigation, and the page's console
 * errors. See bench/README.md.
 *   node --import tsx bench/kernel-start-ab.ts <site A dist> <site B dist> [ROUNDS=5]
 */

interface Hb {
  hb: {
    events: Array<{ event: string }>;
    request(body: unknown, version: number): Promise<unknown>;
  };
}

const [siteA, siteB, roundsArg] = process.argv.slice(2);
if (!siteA || !siteB) {
  console.error('usage: node --import tsx bench/kernel-start-ab.ts <dist A> <dist B> [rounds]');
  process.exit(2);
}
const sites = [siteA, siteB];
const rounds = Number(roundsArg ?? 5);
const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python', display_name: 'Python (Pyodide)', language: 'python' },
  },
  cells: [
    {
      id: 'a',
      cell_type: 'code',
      source: 'print(1)',
      metadata: {},
      outputs: [],
      execution_count: null,
    },
  ],
};

async function load(context: BrowserContext, origin: string) {
  const page = await context.newPage();
  // A site that breaks a plugin (a disabled extension another one requires) says so here.
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text().slice(0, 200));
  });
  page.on('pageerror', (error) => errors.push(error.message.slice(0, 200)));
  let kernel: Worker | undefined;
  page.on('worker', (worker) => {
    if (worker.url().includes('pyodide-kernel-extension')) kernel = worker;
  });
  const start = Date.now();
  await page.goto(`${origin}/`);
  await page.waitForFunction(
    () => (window as unknown as Hb).hb.events.some((e) => e.event === 'ready'),
    undefined,
    { timeout: 60_000 },
  );
  const up = Date.now() - start;
  const request = (body: unknown) =>
    page.evaluate((b) => (window as unknown as Hb).hb.request(b, 2), body) as Promise<{
      ok: boolean;
    }>;
  await request({ type: 'open-notebook', path: 'hintbook/lesson.ipynb', notebook });
  const ran = await request({ type: 'run-cell', index: 0 });
  const ready = Date.now() - start;
  let marks: string[] = [];
  if (kernel) {
    const pageOrigin = await page.evaluate(() => performance.timeOrigin);
    const worker = await kernel.evaluate(() => ({
      origin: performance.timeOrigin,
      marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
    }));
    const at = (ms: number) => Math.round(worker.origin + ms - pageOrigin);
    marks = [
      `worker ${at(0)}`,
      ...worker.marks.map(([name, ms]) => `${name.replace('hintbook:', '')} ${at(ms)}`),
    ];
  }
  await page.close();
  return { up, ready, ok: ran.ok, marks, errors };
}

const servers = await Promise.all(sites.map((dist) => startSiteServer(dist, parentPage)));
const profiles: string[] = [];
const contexts: BrowserContext[] = [];
for (const _site of sites) {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'hintbook-kernel-ab-'));
  profiles.push(profile);
  contexts.push(
    await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    }),
  );
}
try {
  for (let i = 0; i < sites.length; i++) {
    console.log('cold', sites[i], JSON.stringify(await load(contexts[i]!, servers[i]!.origin)));
  }
  for (let round = 0; round < rounds; round++) {
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      const result = await load(contexts[i]!, servers[i]!.origin);
      console.log('warm', sites[i], JSON.stringify(result), `load ${os.loadavg()[0]!.toFixed(1)}`);
    }
  }
} finally {
  for (const context of contexts) await context.close();
  for (const server of servers) await server.close();
  for (const profile of profiles) await rm(profile, { recursive: true, force: true });
}
