import { chromium } from 'playwright-core';
import { parentPage } from '../jupyterlite/parent-page.js';
import { startSiteServer } from '../jupyterlite/site-server.js';
const dist = process.argv[2]!;
const server = await startSiteServer(dist, parentPage);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext();
const nb = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python', display_name: 'Python', language: 'python' } },
  cells: [{ id: 'a', cell_type: 'code', source: 'print(1)', metadata: {}, outputs: [], execution_count: null },
          { id: 'b', cell_type: 'code', source: 'import numpy\nprint(numpy.__version__)', metadata: {}, outputs: [], execution_count: null }] };
for (const kind of ['cold', 'warm', 'warm2']) {
  const page = await context.newPage();
  const t0 = Date.now();
  page.on('console', (m) => { const t = m.text(); if (/Load|load|kernel|hintbook|Pyodide|python/i.test(t)) console.log(`  [${Date.now() - t0} ms] ${t.slice(0, 160)}`); });
  page.on('worker', (w) => w.on('console', (m) => console.log(`  [${Date.now() - t0} ms] worker: ${m.text().slice(0, 160)}`)));
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => (window as any).hb.events.some((e: any) => e.event === 'ready'), undefined, { timeout: 120000 });
  const ui = Date.now() - t0;
  const req = (b: any) => page.evaluate((x) => (window as any).hb.request(x, 2), b);
  await req({ type: 'open-notebook', path: 'p/n.ipynb', notebook: nb });
  const opened = Date.now() - t0;
  const r: any = await req({ type: 'run-cell', index: 0 });
  const first = Date.now() - t0;
  const n: any = await req({ type: 'run-cell', index: 1 });
  const numpy = Date.now() - t0;
  console.log(`${kind}: ui ${ui} opened ${opened} first cell ${first} (${r.ok}) numpy ${numpy - first} ms ${JSON.stringify(n.result?.cell?.outputs?.map((o: any) => o.text))}`);
  await page.close();
}
await browser.close(); await server.close();
