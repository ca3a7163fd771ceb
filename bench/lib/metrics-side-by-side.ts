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
  const spread = (side: Side, pick: (a: RunAnalysis) => number) => {
    const values = sideOf(side).map((r) => pick(r.analysis));
    return `${round(Math.min(...values), 2)}–${round(Math.max(...values), 2)}`;
  };
  const pair = (s: { p50: number; p99: number }) => `${round(s.p50, 2)} / ${round(s.p99, 2)} ms`;
  const figures = [
    ['first token added by Hintbook', (a: RunAnalysis) => a.ttft.added] as const,
    ['per-delta added latency', (a: RunAnalysis) => a.deltaAdded] as const,
  ];
  const rows: Row[] = figures.flatMap(([name, pick]) => {
    const off = pick(pooled.off);
    const on = pick(pooled.on);
    const added = { p50: on.p50 - off.p50, p99: on.p99 - off.p99 };
    return [
      {
        metric: `${name}: metrics off p50 / p99`,
        measured: `${pair(off)} (p99 per round ${spread('off', (a) => pick(a).p99)})`,
        target: '—',
      },
      {
        metric: `${name}: metrics on p50 / p99`,
        measured: `${pair(on)} (p99 per round ${spread('on', (a) => pick(a).p99)})`,
        target: '—',
      },
      {
        metric: `${name}: added by metrics p50 / p99`,
        measured: pair(added),
        target: `p99 ≤ ${TARGET_ADDED_P99_MS} ms`,
        pass: added.p99 <= TARGET_ADDED_P99_MS,
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
