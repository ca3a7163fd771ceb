import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import {
  openaiRenderer,
  startFakeServer,
  type VendorRenderer,
} from '../backend/src/test/fake-providers/index.js';
import { BENCH_ID_PATTERN, encodeStamp, LOOP_RESOLUTION_MS, loopDelayMs } from './lib/protocol.js';

/**
 * The project's fake OpenAI server, run in its own process so its timers are not disturbed by
 * the backend, with one change: every streamed chunk's text is replaced by its index and the
 * moment it was written (this process's `performance.now()`, in µs), so a client can compute
 * "fake wrote it → client got it" per delta. Per turn (keyed by the bench id in the question) it
 * also records when the classification call and the answer call arrived and when the first
 * chunk left, to split time-to-first-token into Hintbook's share and the provider's.
 *
 * Beside the fake's own control API it serves, on a second port:
 *   GET  /clock            → {"now": performance.now()}  (clock offset calibration)
 *   GET  /timings          → {benchId: {classifyAt, answerAt, firstChunkAt}} and clears them
 *   GET  /stats?reset=1    → this process's event-loop delay and CPU use
 * Prints one JSON line `{"url","baseUrl","controlUrl"}` once listening; stops on SIGTERM/SIGINT.
 */

interface TurnTimings {
  classifyAt?: number;
  answerAt?: number;
  firstChunkAt?: number;
}

const timings = new Map<string, TurnTimings>();
const idOfRequest = new WeakMap<object, string | null>();

function benchIdOf(body: Record<string, unknown>): string | null {
  const cached = idOfRequest.get(body);
  if (cached !== undefined) return cached;
  const match = BENCH_ID_PATTERN.exec(JSON.stringify(body.messages ?? ''));
  const id = match?.[1] ?? null;
  idOfRequest.set(body, id);
  return id;
}

function record(body: Record<string, unknown>, field: keyof TurnTimings) {
  const id = benchIdOf(body);
  if (!id) return;
  const entry = timings.get(id) ?? {};
  entry[field] ??= performance.now();
  timings.set(id, entry);
}

const stamped: VendorRenderer = {
  ...openaiRenderer,
  start: (ctx) => {
    record(ctx.body, 'answerAt');
    return openaiRenderer.start(ctx);
  },
  chunk: (ctx, _text, index) => {
    const now = performance.now();
    if (index === 0) record(ctx.body, 'firstChunkAt');
    return openaiRenderer.chunk(ctx, encodeStamp(index, now), index);
  },
  unary: (ctx) => {
    record(ctx.body, 'classifyAt');
    return openaiRenderer.unary(ctx);
  },
};

const fake = await startFakeServer(stamped, '/v1');

const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
loopDelay.enable();
let cpuMark = process.cpuUsage();
let wallMark = performance.now();

const control = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body: unknown;
  if (url.pathname === '/clock') body = { now: performance.now() };
  else if (url.pathname === '/timings') {
    body = Object.fromEntries(timings);
    timings.clear();
  } else if (url.pathname === '/stats') {
    const cpu = process.cpuUsage(cpuMark);
    const wall = performance.now() - wallMark;
    body = {
      loopDelayP99Ms: loopDelayMs(loopDelay.percentile(99)),
      loopDelayMaxMs: loopDelayMs(loopDelay.max),
      cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    };
    if (url.searchParams.get('reset') === '1') {
      loopDelay.reset();
      cpuMark = process.cpuUsage();
      wallMark = performance.now();
    }
  } else {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

process.stdout.write(`${JSON.stringify({ url: fake.url, baseUrl: fake.baseUrl, controlUrl })}\n`);

const stop = () => {
  control.close();
  void fake.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Never outlive the bench: the parent's pipe closing means it is gone.
process.stdin.on('end', stop);
process.stdin.resume();
