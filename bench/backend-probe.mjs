// Preloaded into the backend by run.ts (`node --expose-gc --import ./bench/backend-probe.mjs
// backend/dist/main.js`); nothing in backend/src knows about it. It measures the backend's own
// event-loop delay from inside (perf_hooks' native histogram, negligible cost) and answers the
// bench over the IPC channel: {type:'reset'} | {type:'stats'} | {type:'gc'}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

// The histogram holds whole timer intervals; the delay is what exceeds the resolution.
const RESOLUTION_MS = 5;
const loopDelay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const delayMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
loopDelay.enable();
// Garbage collection pauses, by kind (V8's minor = scavenge, major = mark-sweep-compact).
const GC_KINDS = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak' };
let gc = {};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? 'other';
    const seen = (gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    seen.count += 1;
    seen.totalMs += entry.duration;
    seen.maxMs = Math.max(seen.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
// SQL statements sent to PostgreSQL (every pg client query: begin and commit count too); on
// PGlite nothing goes through pg, and the count stays 0. The backend's own pg is the one patched.
let sqlStatements = 0;
try {
  const pg = createRequire(new URL('../backend/package.json', import.meta.url))('pg');
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    sqlStatements += 1;
    return query.apply(this, args);
  };
} catch {
  // No pg installed beside the backend: nothing to count.
}
let cpuMark = process.cpuUsage();
let wallMark = performance.now();

function vmRssKb() {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : NaN;
}

function snapshot() {
  const cpu = process.cpuUsage(cpuMark);
  const memory = process.memoryUsage();
  return {
    loopDelayP50Ms: delayMs(loopDelay.percentile(50)),
    loopDelayP99Ms: delayMs(loopDelay.percentile(99)),
    loopDelayMaxMs: delayMs(loopDelay.max),
    cpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - wallMark)) * 100,
    rssKb: vmRssKb(),
    heapUsedKb: memory.heapUsed / 1024,
    externalKb: memory.external / 1024,
    gc,
    sqlStatements,
  };
}

if (process.send) {
  process.on('message', async (message) => {
    if (message?.type === 'reset') {
      loopDelay.reset();
      gc = {};
      sqlStatements = 0;
      cpuMark = process.cpuUsage();
      wallMark = performance.now();
      process.send({ type: 'probe', ok: true });
    } else if (message?.type === 'stats') {
      process.send({ type: 'probe', ...snapshot() });
    } else if (message?.type === 'gc') {
      // Several passes with pauses: socket.io and ws free some buffers only on a later cycle.
      for (let i = 0; i < 4; i += 1) {
        globalThis.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      process.send({ type: 'probe', ...snapshot() });
    }
  });
  process.channel?.unref();
}
