/**
 * What the metrics add on the hot paths, per event, in-process (issue 18's target: ≤ 1 ms p99
 * added to first token and per delta). Each operation is timed one by one, instrumented and not,
 * so the difference is what recording costs; a scrape is timed too, since it runs on the event
 * loop. Run: npm run bench:metrics
 * With --full, the real streaming bench instead, metrics off and on side by side
 * (bench/metrics-full.ts): npm run bench:metrics -- --full [--quick]
 * With --paired, both backends at once and every stream a pair of turns, one on each
 * (bench/metrics-paired.ts): npm run bench:metrics -- --paired [--pg[=URL]] [--control]
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Request, Response } from 'express';
import { createActiveTurns } from '../backend/src/modules/chat/active-turns.js';
import type { TurnEmitter } from '../backend/src/modules/chat/turn.types.js';
import { httpMetrics } from '../backend/src/modules/observability/http-metrics.js';
import { createAppMetrics } from '../backend/src/modules/observability/metrics.js';
import { instrumentTurns } from '../backend/src/modules/observability/turn-metrics.js';
import { DEFAULT_SERVER_URL } from './lib/database.js';
import { timeScrapePieces } from './lib/scrape-pieces.js';

const TURNS = 2_000;
const DELTAS_PER_TURN = 90;
const REQUESTS = 50_000;
const TARGET_P99_MS = 1;

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

function timeTurns(isInstrumented: boolean) {
  const metrics = createAppMetrics();
  const sink: TurnEmitter = { toUser: () => {} };
  const raw = { activeTurns: createActiveTurns(), emitter: sink };
  const { activeTurns, emitter } = isInstrumented
    ? instrumentTurns(metrics, raw.activeTurns, raw.emitter)
    : raw;
  const firstDelta: number[] = [];
  const delta: number[] = [];
  for (let t = 0; t < TURNS; t++) {
    const turnId = `turn-${t}`;
    const turn = activeTurns.start({ turnId, sessionId: `s-${t}`, userId: 'u' });
    for (let seq = 1; seq <= DELTAS_PER_TURN; seq++) {
      const payload = { sessionId: `s-${t}`, turnId, seq, text: ' word' };
      const started = performance.now();
      emitter.toUser('u', 'chat:delta', payload);
      (seq === 1 ? firstDelta : delta).push(performance.now() - started);
    }
    activeTurns.finish(turn, {
      name: 'chat:done',
      payload: {
        sessionId: `s-${t}`,
        turnId,
        messageId: turnId,
        status: 'complete',
        content: '',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
    });
  }
  return { firstDelta: percentiles(firstDelta), delta: percentiles(delta) };
}

async function timeHttp() {
  const metrics = createAppMetrics();
  const middleware = httpMetrics(metrics);
  const routes = Array.from({ length: 60 }, (_, i) => `/r${i}/:id`);
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const res = Object.assign(new EventEmitter(), { statusCode: i % 50 === 0 ? 500 : 200 });
    const req = { method: 'GET', baseUrl: '', originalUrl: '/api/x' } as unknown as Request;
    const started = performance.now();
    middleware(req, res as unknown as Response, () => {
      (req as { baseUrl: string }).baseUrl = '/api';
      (req as { route: unknown }).route = { path: routes[i % routes.length] };
    });
    res.emit('finish');
    samples.push(performance.now() - started);
  }
  const scrape: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    await metrics.registry.metrics();
    scrape.push(performance.now() - started);
  }
  return { request: percentiles(samples), scrape: percentiles(scrape) };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/** A scrape piece by piece (bench/lib/scrape-pieces.ts), slowest on the event loop first. */
async function reportScrapePieces() {
  const pgArgument = process.argv.find((arg) => arg === '--pg' || arg.startsWith('--pg='));
  const pgServerUrl = pgArgument ? pgArgument.slice(5) || DEFAULT_SERVER_URL : undefined;
  const result = await timeScrapePieces({ pgServerUrl });
  console.log(
    `\nA scrape piece by piece (${result.driver}, ${Math.round(result.bytes / 1024)} KB), ` +
      'wall and event-loop busy time, p50 / max over 40 scrapes:\n',
  );
  console.log('| piece | wall p50 / max | event loop busy p50 / max |');
  console.log('|------|------|------|');
  const sorted = [...result.pieces].sort((a, b) => b.busy.max - a.busy.max);
  for (const piece of sorted.filter((p, i) => i < 12 || /whole|System/.test(p.piece)))
    console.log(
      `| ${piece.piece} | ${ms(piece.wall.p50)} / ${ms(piece.wall.max)} | ${ms(piece.busy.p50)} / ${ms(piece.busy.max)} |`,
    );
  const { atOnce, served, share } = result.longestBlock;
  console.log(
    `| longest event-loop block during a scrape, each registry at once | – | ${ms(atOnce.p50)} / ${ms(atOnce.max)} |`,
  );
  console.log(
    `| longest event-loop block during a scrape as /metrics serves it | – | ${ms(served.p50)} / ${ms(served.max)} |`,
  );
  console.log(
    `| longest event-loop block while sharing the System page windows | – | ${ms(share.p50)} / ${ms(share.max)} |`,
  );
}

async function runMicroBench() {
  // Warm up both paths (JIT), then measure.
  timeTurns(true);
  timeTurns(false);
  const bare = timeTurns(false);
  const instrumented = timeTurns(true);
  const http = await timeHttp();

  const addedFirst = instrumented.firstDelta.p99 - bare.firstDelta.p99;
  const addedDelta = instrumented.delta.p99 - bare.delta.p99;
  const rows = [
    ['first delta (emit)', bare.firstDelta, instrumented.firstDelta, addedFirst],
    ['later delta (emit)', bare.delta, instrumented.delta, addedDelta],
  ] as const;
  console.log(`${TURNS} turns × ${DELTAS_PER_TURN} deltas, ${REQUESTS} HTTP requests\n`);
  console.log('| path | metrics off p50 / p99 | metrics on p50 / p99 | added p99 | target |');
  console.log('|------|------|------|------|------|');
  for (const [name, off, on, added] of rows)
    console.log(
      `| ${name} | ${us(off.p50)} / ${us(off.p99)} | ${us(on.p50)} / ${us(on.p99)} | ${us(added)} | ≤ ${TARGET_P99_MS} ms: ${added <= TARGET_P99_MS ? 'PASS' : 'FAIL'} |`,
    );
  console.log(
    `| HTTP request recorded (middleware + finish) | – | ${us(http.request.p50)} / ${us(http.request.p99)} | ${us(http.request.p99)} | ≤ ${TARGET_P99_MS} ms: ${http.request.p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL'} |`,
  );
  console.log(
    `| scrape of 60 routes (registry.metrics(), on the event loop) | – | ${us(http.scrape.p50)} / ${us(http.scrape.p99)} | – | – |`,
  );
  await reportScrapePieces();
}

if (process.argv.includes('--full')) await import('./metrics-full.js');
else if (process.argv.includes('--paired')) await import('./metrics-paired.js');
else await runMicroBench();
