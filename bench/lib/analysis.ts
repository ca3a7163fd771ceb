import type { ProbeSnapshot } from './processes.js';
import { mergeHistograms, summarize, summarizeValues, type Summary } from './stats.js';
import type { RunResult, TurnRecord } from './worker-messages.js';

/** Turns the raw records of one load run into the figures the report prints. */

export interface RunInput {
  clients: number;
  tokensPerSecond: number;
  results: RunResult[];
  timings: Record<string, { classifyAt?: number; answerAt?: number; firstChunkAt?: number }>;
  backend: ProbeSnapshot;
  fakeLoopDelayP99Ms: number;
  healthMs: number[];
  cpuPercent: {
    backend: number;
    fake: number;
    clients: number;
    machine: number;
    others: number;
  };
}

export interface RunAnalysis {
  clients: number;
  turns: { total: number; ok: number; broken: number; error: number; timeout: number };
  problems: string[];
  ttft: {
    /** Send → first delta, minus the provider's own time (the fake's wait before chunk 1). */
    added: Summary;
    /** The fake wrote chunk 1 → the client got delta 1. */
    pipe: Summary;
    /** Send → the answer request reached the fake (store, classification round trip, context). */
    beforeAnswerCall: Summary;
    /** Send → the classification request reached the fake. */
    beforeClassification: Summary;
    total: Summary;
    providerOwn: Summary;
  };
  deltaAdded: Summary;
  tokensPerSecond: { mean: number; slowest: number };
  backend: ProbeSnapshot;
  fakeLoopDelayP99Ms: number;
  clientLoopDelayP99Ms: number;
  health: Summary;
  cpuPercent: {
    backend: number;
    fake: number;
    clients: number;
    machine: number;
    others: number;
  };
  verdict: { held: boolean; benchLimited: boolean; reasons: string[] };
}

const BENCH_LIMIT_LOOP_MS = 50;

export function analyseRun(input: RunInput): RunAnalysis {
  const turns: TurnRecord[] = input.results.flatMap((result) => result.turns);
  const count = (outcome: TurnRecord['outcome']) =>
    turns.filter((turn) => turn.outcome === outcome).length;
  const added: number[] = [];
  const pipe: number[] = [];
  const beforeAnswerCall: number[] = [];
  const beforeClassification: number[] = [];
  const total: number[] = [];
  const providerOwn: number[] = [];
  const rates: number[] = [];
  for (const turn of turns) {
    if (turn.outcome !== 'ok' || turn.firstDeltaAt === undefined) continue;
    const timing = input.timings[turn.benchId];
    total.push(turn.firstDeltaAt - turn.sentAt);
    if (turn.firstChunkPipeMs !== undefined) pipe.push(turn.firstChunkPipeMs);
    if (timing?.classifyAt !== undefined)
      beforeClassification.push(timing.classifyAt - turn.sentAt);
    if (timing?.answerAt !== undefined && timing.firstChunkAt !== undefined) {
      const own = timing.firstChunkAt - timing.answerAt;
      providerOwn.push(own);
      added.push(turn.firstDeltaAt - turn.sentAt - own);
      beforeAnswerCall.push(timing.answerAt - turn.sentAt);
    }
    if (turn.lastDeltaAt !== undefined && turn.deltas > 1) {
      rates.push(((turn.deltas - 1) / (turn.lastDeltaAt - turn.firstDeltaAt)) * 1000);
    }
  }
  const clientLoopDelayP99Ms = Math.max(...input.results.map((result) => result.loopDelayP99Ms));
  const tokensPerSecond = {
    mean: rates.reduce((sum, rate) => sum + rate, 0) / Math.max(1, rates.length),
    slowest: Math.min(...rates),
  };
  const notOk = turns.length - count('ok');

  const reasons: string[] = [];
  if (notOk > 0) {
    reasons.push(`${notOk} of ${turns.length} turns lost or broke (${describeFailures(turns)})`);
  }
  if (input.backend.loopDelayP99Ms >= 50) {
    reasons.push(`backend loop p99 ${input.backend.loopDelayP99Ms.toFixed(0)} ms`);
  }
  if (tokensPerSecond.mean < input.tokensPerSecond * 0.9) {
    reasons.push(`delivered ${tokensPerSecond.mean.toFixed(1)} tok/s`);
  }
  const held = reasons.length === 0;
  const benchLimited =
    clientLoopDelayP99Ms >= BENCH_LIMIT_LOOP_MS || input.fakeLoopDelayP99Ms >= BENCH_LIMIT_LOOP_MS;
  if (clientLoopDelayP99Ms >= BENCH_LIMIT_LOOP_MS) {
    reasons.push(`client loop p99 ${clientLoopDelayP99Ms.toFixed(0)} ms`);
  }
  if (input.fakeLoopDelayP99Ms >= BENCH_LIMIT_LOOP_MS) {
    reasons.push(`fake loop p99 ${input.fakeLoopDelayP99Ms.toFixed(0)} ms`);
  }

  return {
    clients: input.clients,
    turns: {
      total: turns.length,
      ok: count('ok'),
      broken: count('broken'),
      error: count('error'),
      timeout: count('timeout'),
    },
    problems: turns.flatMap((turn) =>
      turn.problems.map((problem) => `${turn.benchId}: ${problem}`),
    ),
    ttft: {
      added: summarizeValues(added),
      pipe: summarizeValues(pipe),
      beforeAnswerCall: summarizeValues(beforeAnswerCall),
      beforeClassification: summarizeValues(beforeClassification),
      total: summarizeValues(total),
      providerOwn: summarizeValues(providerOwn),
    },
    deltaAdded: summarize(mergeHistograms(...input.results.map((result) => result.deltaAdded))),
    tokensPerSecond,
    backend: input.backend,
    fakeLoopDelayP99Ms: input.fakeLoopDelayP99Ms,
    clientLoopDelayP99Ms,
    health: summarizeValues(input.healthMs),
    cpuPercent: input.cpuPercent,
    verdict: { held, benchLimited, reasons },
  };
}

/** "12 timeout, 3 broken; first problems: timeout after 40 deltas ×9, chat:error rate_limited ×3". */
function describeFailures(turns: TurnRecord[]): string {
  const outcomes = new Map<string, number>();
  const problems = new Map<string, number>();
  for (const turn of turns) {
    if (turn.outcome === 'ok') continue;
    outcomes.set(turn.outcome, (outcomes.get(turn.outcome) ?? 0) + 1);
    // Numbers vary from turn to turn; the kind of problem is what groups them.
    const first = (turn.problems[0] ?? 'no problem recorded').replace(/\d+/g, 'N');
    problems.set(first, (problems.get(first) ?? 0) + 1);
  }
  const list = (counts: Map<string, number>, separator: string) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([name, count]) => `${name}${separator}${count}`)
      .join(', ');
  return `${list(outcomes, ' ')}; first problems: ${list(problems, ' ×')}`;
}
