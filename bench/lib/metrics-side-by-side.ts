import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseRun, type RunAnalysis, type RunInput } from './analysis.js';
import { repoRoot } from './processes.js';
import { printTable, type Row } from './report.js';
import { round, summarizeValues } from './stats.js';

/** bench/metrics-full.ts's analysis: each side's rounds pooled, then on − off. */

export type Side = 'off' | 'on';

export interface Round {
  side: Side;
  input: RunInput;
  analysis: RunAnalysis;
  scrapes: number;
  loadAverage: string;
}

export interface Scrape {
  ms: number;
  bytes: number;
  /** When the scraper sent the request and had the whole answer, on the fake's clock. */
  startAt: number;
  endAt: number;
}

/**
 * The on side's first token added, split by whether a scrape was in flight at any moment
 * between the turn's chat:send and its first delta: if scrapes delayed first tokens, the turns
 * that overlapped one are slower than the rest.
 */
function firstTokenByScrapeOverlap(rounds: Round[], scrapes: Scrape[]) {
  const overlapping: number[] = [];
  const apart: number[] = [];
  for (const { input } of rounds.filter((r) => r.side === 'on'))
    for (const turn of input.results.flatMap((result) => result.turns)) {
      const timing = input.timings[turn.benchId];
      if (turn.outcome !== 'ok' || turn.firstDeltaAt === undefined) continue;
      if (timing?.answerAt === undefined || timing.firstChunkAt === undefined) continue;
      const added = turn.firstDeltaAt - turn.sentAt - (timing.firstChunkAt - timing.answerAt);
      const isOverlapping = scrapes.some(
        (scrape) => scrape.startAt < turn.firstDeltaAt! && scrape.endAt > turn.sentAt,
      );
      (isOverlapping ? overlapping : apart).push(added);
    }
  return { overlapping: summarizeValues(overlapping), apart: summarizeValues(apart) };
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

/** Several rounds of one side as one run: every turn and delta counts once. */
function pool(inputs: RunInput[]): RunInput {
  const mean = (pick: (input: RunInput) => number) =>
    inputs.reduce((sum, input) => sum + pick(input), 0) / inputs.length;
  const worstLoop = inputs.reduce((worst, input) =>
    input.backend.loopDelayP99Ms > worst.backend.loopDelayP99Ms ? input : worst,
  );
  return {
    ...inputs[0]!,
    results: inputs.flatMap((input) => input.results),
    timings: Object.assign({}, ...inputs.map((input) => input.timings)),
    healthMs: inputs.flatMap((input) => input.healthMs),
    backend: worstLoop.backend,
    fakeLoopDelayP99Ms: Math.max(...inputs.map((input) => input.fakeLoopDelayP99Ms)),
    cpuPercent: {
      backend: mean((input) => input.cpuPercent.backend),
      fake: mean((input) => input.cpuPercent.fake),
      clients: mean((input) => input.cpuPercent.clients),
      machine: mean((input) => input.cpuPercent.machine),
      others: mean((input) => input.cpuPercent.others),
    },
  };
}

/**
 * What an on − off difference of pooled p99s can say, given how much a side's p99 moves from
 * one round to the next on its own: the spread is the wider side's range of per-round p99s, and
 * the true difference is taken to lie within added ± spread. Only when that whole interval is
 * under the target is it "met"; only when it is all above, "missed"; otherwise the difference
 * is inside the rounds' spread and says nothing either way (a negative one included).
 */
export function judgeAdded(
  addedP99Ms: number,
  offRoundP99s: number[],
  onRoundP99s: number[],
  targetMs: number,
): { spreadMs: number; result: { pass?: boolean; verdict: string } } {
  const range = (values: number[]) => Math.max(...values) - Math.min(...values);
  const spreadMs = Math.max(range(offRoundP99s), range(onRoundP99s));
  if (addedP99Ms + spreadMs <= targetMs)
    return { spreadMs, result: { pass: true, verdict: 'met' } };
  if (addedP99Ms - spreadMs > targetMs)
    return { spreadMs, result: { pass: false, verdict: 'missed' } };
  return {
    spreadMs,
    result: { verdict: "inside the rounds' spread (noise): not shown either way" },
  };
}

/** The side-by-side table, each round, and the raw figures in `file`. */
export function reportSideBySide(options: {
  rounds: Round[];
  scrapes: Scrape[];
  scrapeEveryMs: number;
  targetAddedP99Ms: number;
  settings: Record<string, unknown>;
  file: string;
}) {
  const {
    rounds,
    scrapes,
    scrapeEveryMs: SCRAPE_EVERY_MS,
    targetAddedP99Ms: TARGET_ADDED_P99_MS,
  } = options;
  const sideOf = (side: Side) => rounds.filter((r) => r.side === side);
  const pooled = {
    off: analyseRun(pool(sideOf('off').map((r) => r.input))),
    on: analyseRun(pool(sideOf('on').map((r) => r.input))),
  };
  const p99s = (side: Side, pick: (a: RunAnalysis) => { p99: number }) =>
    sideOf(side).map((r) => pick(r.analysis).p99);
  const spread = (values: number[]) =>
    `${round(Math.min(...values), 2)}–${round(Math.max(...values), 2)}`;
  const pair = (s: { p50: number; p99: number }) => `${round(s.p50, 2)} / ${round(s.p99, 2)} ms`;
  const figures = [
    ['first token added by Hintbook', (a: RunAnalysis) => a.ttft.added] as const,
    ['per-delta added latency', (a: RunAnalysis) => a.deltaAdded] as const,
  ];
  const rows: Row[] = figures.flatMap(([name, pick]) => {
    const off = pick(pooled.off);
    const on = pick(pooled.on);
    const added = { p50: on.p50 - off.p50, p99: on.p99 - off.p99 };
    const judged = judgeAdded(added.p99, p99s('off', pick), p99s('on', pick), TARGET_ADDED_P99_MS);
    return [
      {
        metric: `${name}: metrics off p50 / p99`,
        measured: `${pair(off)} (p99 per round ${spread(p99s('off', pick))})`,
        target: '—',
      },
      {
        metric: `${name}: metrics on p50 / p99`,
        measured: `${pair(on)} (p99 per round ${spread(p99s('on', pick))})`,
        target: '—',
      },
      {
        metric: `${name}: added by metrics p50 / p99`,
        measured: `${pair(added)} (rounds' spread ±${round(judged.spreadMs, 2)} ms)`,
        target: `p99 ≤ ${TARGET_ADDED_P99_MS} ms`,
        ...judged.result,
      },
    ];
  });
  const scrapeMs = summarizeValues(scrapes.map((s) => s.ms));
  rows.push(
    {
      metric: 'backend CPU, % of a core: off / on',
      measured: `${round(pooled.off.cpuPercent.backend, 1)} / ${round(pooled.on.cpuPercent.backend, 1)}`,
      target: '—',
    },
    {
      metric: 'backend event-loop delay p99 (worst round): off / on',
      measured: `${round(pooled.off.backend.loopDelayP99Ms, 1)} / ${round(pooled.on.backend.loopDelayP99Ms, 1)} ms`,
      target: '—',
    },
    {
      metric: `scrapes during the on rounds (every ${SCRAPE_EVERY_MS / 1000} s)`,
      measured:
        `${scrapes.length}, p50 ${round(scrapeMs.p50, 1)} / max ${round(scrapeMs.max, 1)} ms, ` +
        `${Math.round((scrapes.at(-1)?.bytes ?? 0) / 1024)} KB`,
      target: '—',
    },
    (() => {
      const split = firstTokenByScrapeOverlap(rounds, scrapes);
      const part = (summary: ReturnType<typeof summarizeValues>) =>
        `${round(summary.p50, 2)} / ${round(summary.p99, 2)} ms (${summary.count} turns)`;
      return {
        metric: 'metrics on, first token added p50 / p99: turns a scrape overlapped / the rest',
        measured: `${part(split.overlapping)} / ${part(split.apart)}`,
        target: '—',
      };
    })(),
    {
      metric: 'turns clean: off / on',
      measured: `${pooled.off.turns.ok}/${pooled.off.turns.total} / ${pooled.on.turns.ok}/${pooled.on.turns.total}`,
      target: 'all',
      pass:
        pooled.off.turns.ok === pooled.off.turns.total &&
        pooled.on.turns.ok === pooled.on.turns.total,
    },
  );
  console.log('');
  printTable(rows);
  console.log('\nRounds (in the order run):');
  printTable(
    rounds.map((r, i) => ({
      metric: `${i + 1}. metrics ${r.side}`,
      measured:
        `first token added p50/p99 ${pair(r.analysis.ttft.added)}, per delta ${pair(r.analysis.deltaAdded)}, ` +
        `backend CPU ${round(r.analysis.cpuPercent.backend, 0)} %, others ${round(r.analysis.cpuPercent.others, 0)} % ` +
        `of a core, load average ${r.loadAverage}`,
      target: r.scrapes > 0 ? `${r.scrapes} scrapes` : '',
    })),
  );
  const noisy = rounds.filter((r) => r.analysis.cpuPercent.others > 25).length;
  if (noisy > 0)
    console.log(
      `\nwarning: other processes used > 25 % of a core in ${noisy} of ${rounds.length} rounds: ` +
        'differences below the per-round spread are noise; rerun on a quiet machine.',
    );
  mkdirSync(path.dirname(options.file), { recursive: true });
  writeFileSync(
    options.file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        settings: options.settings,
        summary: rows,
        pooled: {
          off: { ...pooled.off, problems: pooled.off.problems.slice(0, 20) },
          on: { ...pooled.on, problems: pooled.on.problems.slice(0, 20) },
        },
        rounds: rounds.map((r) => ({
          side: r.side,
          scrapes: r.scrapes,
          loadAverage: r.loadAverage,
          analysis: { ...r.analysis, problems: r.analysis.problems.slice(0, 20) },
        })),
        scrapes,
        nproc: os.availableParallelism(),
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `\nRaw figures: ${path.relative(repoRoot, options.file)}; load average at the end: ${loadAverage()}`,
  );
}
