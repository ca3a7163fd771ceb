/**
 * The answer guard's cost per delta: 100 answers streaming side by side (interleaved, as the
 * event loop would run them), every delta pushed through its own guard, with and without a
 * reference solution. Target: p99 ≤ 2 ms per delta. Run: npm run bench:guard
 */
import { performance } from 'node:perf_hooks';
import { createStreamGuard } from '../backend/src/ai/pedagogy/answer-guard.js';
import {
  HINTS,
  LEAKS,
  MEAN_OF_POSITIVES,
} from '../backend/src/ai/pedagogy/answer-guard.fixtures.js';

const STREAMS = 100;
const TARGET_P99_MS = 2;
// Long answers: each stream repeats hints (which pass) so the guard sees several kB.
const answers = [...HINTS, ...LEAKS].map((fixture) => fixture.answer);
const longHint = Array.from({ length: 8 }, (_, i) => HINTS[i % HINTS.length]!.answer).join('\n\n');

/** Vendor-like deltas: 1 to 12 characters. */
function deltasOf(text: string, seed: number): string[] {
  const out: string[] = [];
  let state = seed;
  for (let start = 0; start < text.length;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 12);
    out.push(text.slice(start, start + size));
    start += size;
  }
  return out;
}

function run(referenceSolution: string | undefined) {
  const streams = Array.from({ length: STREAMS }, (_, i) => ({
    guard: createStreamGuard({ referenceSolution }),
    deltas: deltasOf(i % 4 === 0 ? answers[i % answers.length]! : longHint, i + 1),
    next: 0,
  }));
  const timings: number[] = [];
  let isRunning = true;
  while (isRunning) {
    isRunning = false;
    for (const stream of streams) {
      const delta = stream.deltas[stream.next];
      if (delta === undefined) continue;
      isRunning = true;
      stream.next += 1;
      const start = performance.now();
      stream.guard.push(delta);
      timings.push(performance.now() - start);
    }
  }
  timings.sort((a, b) => a - b);
  const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))]!;
  return { deltas: timings.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

for (const [label, reference] of [
  ['no reference', undefined],
  ['with reference', MEAN_OF_POSITIVES],
] as const) {
  run(reference); // warm up the JIT
  const result = run(reference);
  const verdict = result.p99 <= TARGET_P99_MS ? 'ok' : 'OVER TARGET';
  console.log(
    `${label}: ${result.deltas} deltas over ${STREAMS} streams, p50 ${(result.p50 * 1000).toFixed(1)} µs, p99 ${(result.p99 * 1000).toFixed(1)} µs, max ${(result.max * 1000).toFixed(1)} µs (target p99 ≤ ${TARGET_P99_MS} ms: ${verdict})`,
  );
}
