/**
 * bench/metrics-paired.ts's statistics: a percentile of the metrics-on side minus the same
 * percentile of the off side, over turns sent in pairs (one to each backend in the same tick),
 * with a bootstrap confidence interval that resamples whole blocks of time (every pair sent in
 * the same few seconds). Resampling whole pairs keeps what the two sides of a pair shared (the
 * machine's load at that instant, the client's loop, the fake's scheduling), so that noise
 * cancels in the difference; resampling whole blocks rather than single pairs keeps what one
 * backend's stall does to all its streams at once (a descheduled process delays every turn it
 * serves), which pairs cannot cancel and which a pair-by-pair bootstrap would count as many
 * independent samples, giving an interval too narrow (an A/A control run showed it: both sides
 * off, "missed").
 */

import type { TurnPair, TurnRecord } from './worker-messages.js';

type Sample = { value: number; pair: number };

export type Timings = Record<string, { answerAt?: number; firstChunkAt?: number }>;

/** First token added by Hintbook (README, "How added latency is measured"), or undefined. */
function firstTokenAdded(turn: TurnRecord, timings: Timings): number | undefined {
  const timing = timings[turn.benchId];
  if (turn.outcome !== 'ok' || turn.firstDeltaAt === undefined) return undefined;
  if (timing?.answerAt === undefined || timing.firstChunkAt === undefined) return undefined;
  return turn.firstDeltaAt - turn.sentAt - (timing.firstChunkAt - timing.answerAt);
}

/**
 * Each side's first-token and per-delta samples tagged with their pair, and each pair's block
 * (pairs sent within the same `blockMs`). Only pairs whose two turns both ended clean count,
 * so each kept sample has its partner.
 */
export function pairSamples(
  pairs: TurnPair[],
  timings: Timings,
  blockMs: number,
  /** Which side each pair's first socket (`a`) asked: off unless the slots were swapped. */
  aSide: 'off' | 'on' = 'off',
) {
  const firstToken = { off: [] as Sample[], on: [] as Sample[] };
  const delta = { off: [] as Sample[], on: [] as Sample[] };
  const blockOf: number[] = [];
  const startAt = Math.min(...pairs.map((pair) => pair.a.sentAt));
  let kept = 0;
  for (const { a, b } of pairs) {
    const turns = aSide === 'off' ? { off: a, on: b } : { off: b, on: a };
    const added = {
      off: firstTokenAdded(turns.off, timings),
      on: firstTokenAdded(turns.on, timings),
    };
    if (added.off === undefined || added.on === undefined) continue;
    const index = kept++;
    blockOf.push(Math.floor((a.sentAt - startAt) / blockMs));
    firstToken.off.push({ value: added.off, pair: index });
    firstToken.on.push({ value: added.on, pair: index });
    for (const value of turns.off.deltaAddedMs ?? []) delta.off.push({ value, pair: index });
    for (const value of turns.on.deltaAddedMs ?? []) delta.on.push({ value, pair: index });
  }
  // Blocks numbered 0…n − 1 without gaps (a block may have lost all its pairs).
  const numbers = new Map([...new Set(blockOf)].sort((x, y) => x - y).map((b, i) => [b, i]));
  return { kept, blockOf: Uint32Array.from(blockOf, (b) => numbers.get(b)!), firstToken, delta };
}

/** One sample: its value (ms) and the index of the pair it came from. */
export interface PairedValues {
  values: Float64Array;
  pairOf: Uint32Array;
}

/** Values sorted ascending, each remembering its pair. */
export function sortedSamples(samples: Sample[]): PairedValues {
  const sorted = [...samples].sort((x, y) => x.value - y.value);
  return {
    values: Float64Array.from(sorted, (sample) => sample.value),
    pairOf: Uint32Array.from(sorted, (sample) => sample.pair),
  };
}

/**
 * The nearest-rank percentile `q` of `samples`, each weighted by how often its pair was drawn
 * (`weights`, all 1 for the observed data), walking from whichever end is nearer.
 */
export function weightedPercentile(
  samples: PairedValues,
  weights: Uint32Array,
  totalWeight: number,
  q: number,
): number {
  const { values, pairOf } = samples;
  const rank = Math.max(1, Math.ceil(q * totalWeight));
  if (q <= 0.5) {
    let seen = 0;
    for (let i = 0; i < values.length; i++) {
      seen += weights[pairOf[i]!]!;
      if (seen >= rank) return values[i]!;
    }
    return values[values.length - 1]!;
  }
  // From the top: the first value whose weight from the top end exceeds totalWeight − rank.
  let fromTop = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    fromTop += weights[pairOf[i]!]!;
    if (fromTop > totalWeight - rank) return values[i]!;
  }
  return values[0]!;
}

/** Deterministic generator, so a rerun on the same data prints the same interval. */
function mulberry32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PairedDifference {
  q: number;
  off: number;
  on: number;
  /** on − off on the observed pairs. */
  added: number;
  /** 95 % bootstrap percentile interval of on − off. */
  low: number;
  high: number;
}

/**
 * Percentile `q` of each side and on − off, with a 95 % interval from `resamples` bootstrap
 * draws of as many blocks as there are, with replacement (`blockOf[pair]`: the block of each
 * pair). `off` and `on` hold each side's samples tagged with their pair (a pair may give
 * several, e.g. its deltas).
 */
export function pairedDifference(
  blockOf: Uint32Array,
  off: PairedValues,
  on: PairedValues,
  qs: number[],
  resamples = 2_000,
): PairedDifference[] {
  const pairs = blockOf.length;
  const blocks = Math.max(...blockOf) + 1;
  const ones = new Uint32Array(pairs).fill(1);
  const countsOf = (samples: PairedValues) => {
    const counts = new Uint32Array(pairs);
    for (const pair of samples.pairOf) counts[pair]! += 1;
    return counts;
  };
  const perPair = { off: countsOf(off), on: countsOf(on) };
  const total = (counts: Uint32Array, weights: Uint32Array) => {
    let sum = 0;
    for (let i = 0; i < pairs; i++) sum += counts[i]! * weights[i]!;
    return sum;
  };
  const observed = qs.map((q) => ({
    off: weightedPercentile(off, ones, off.values.length, q),
    on: weightedPercentile(on, ones, on.values.length, q),
  }));
  const draws = qs.map(() => new Float64Array(resamples));
  const random = mulberry32(18);
  const weights = new Uint32Array(pairs);
  const drawn = new Uint32Array(blocks);
  for (let r = 0; r < resamples; r++) {
    drawn.fill(0);
    for (let i = 0; i < blocks; i++) drawn[Math.floor(random() * blocks)]! += 1;
    for (let i = 0; i < pairs; i++) weights[i] = drawn[blockOf[i]!]!;
    const totals = { off: total(perPair.off, weights), on: total(perPair.on, weights) };
    qs.forEach((q, k) => {
      draws[k]![r] =
        weightedPercentile(on, weights, totals.on, q) -
        weightedPercentile(off, weights, totals.off, q);
    });
  }
  return qs.map((q, k) => {
    const sorted = draws[k]!.sort();
    const at = (p: number) => sorted[Math.min(resamples - 1, Math.floor(p * resamples))]!;
    return {
      q,
      off: observed[k]!.off,
      on: observed[k]!.on,
      added: observed[k]!.on - observed[k]!.off,
      low: at(0.025),
      high: at(0.975),
    };
  });
}

/**
 * met: the whole interval is within the target; missed: the whole interval is above it;
 * otherwise the run could not tell (the interval straddles the target).
 */
export function pairedVerdict(difference: PairedDifference, targetMs: number): string {
  if (difference.high <= targetMs) return 'met';
  if (difference.low > targetMs) return '**missed**';
  return 'not resolved (the interval straddles the target)';
}
