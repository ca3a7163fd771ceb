import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import {
  openaiRenderer,
  REALISTIC_TIMING,
  startFakeServer,
  type VendorRenderer,
} from '../backend/src/test/fake-providers/index.js';
import {
  BENCH_CONV_PATTERN,
  BENCH_ID_PATTERN,
  encodeStamp,
  LOOP_RESOLUTION_MS,
  loopDelayMs,
} from './lib/protocol.js';

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
 *   GET  /requests         → every request since the last call: conversation, kind, arrival, end
 * FAKE_TIMING=realistic gives every call REALISTIC_TIMING (400 ms to the first token, 15 ms a
 * token, a structured call answering once its whole generation is done).
 * Prints one JSON line `{"url","baseUrl","controlUrl"}` once listening; stops on SIGTERM/SIGINT.
 */

interface TurnTimings {
  classifyAt?: number;
  answerAt?: number;
  firstChunkAt?: number;
}

const timings = new Map<string, TurnTimings>();
const idOfRequest = new WeakMap<object, string | null>();

/**
 * The turn a request belongs to: the last bench id it carries (the current question comes last;
 * a conversation's earlier questions come before it).
 */
function benchIdOf(body: Record<string, unknown>): string | null {
  const cached = idOfRequest.get(body);
  if (cached !== undefined) return cached;
  const all = [...JSON.stringify(body.messages ?? '').matchAll(new RegExp(BENCH_ID_PATTERN, 'g'))];
  const id = all.at(-1)?.[1] ?? null;
  idOfRequest.set(body, id);
  return id;
}

/** One provider request as the fake saw it, for counting round trips before an answer. */
interface RequestLog {
  conversationId: string | null;
  benchId: string | null;
  isStream: boolean;
  startAt: number;
  endAt?: number;
}
const requests = new Map<object, RequestLog>();

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

const fake = await startFakeServer(stamped, '/v1', {
  ...(process.env.FAKE_TIMING === 'realistic' ? { timing: REALISTIC_TIMING } : {}),
  onRequest: (body) => {
    const conversation = BENCH_CONV_PATTERN.exec(JSON.stringify(body.messages ?? ''));
    requests.set(body, {
      conversationId: conversation?.[1] ?? null,
      benchId: benchIdOf(body),
      isStream: body.stream === true,
      startAt: performance.now(),
    });
  },
  onResponseEnd: (body) => {
    const entry = requests.get(body);
    if (entry) entry.endAt ??= performance.now();
  },
});

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
  } else if (url.pathname === '/requests') {
    body = [...requests.values()];
    requests.clear();
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

process.stdout.write(
  `${JSON.stringify({ url: fake.url, baseUrl: fake.baseUrl, controlUrl, timing: process.env.FAKE_TIMING === 'realistic' ? REALISTIC_TIMING : null })}\n`,
);

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
