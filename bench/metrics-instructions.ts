import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { repoRoot } from './lib/processes.js';

/**
 * Issue 18's overhead, counted instead of timed: the instructions recording executes, free of
 * the machine's noise. bench/turn-workload.mjs runs T and 2T turns through the backend's build
 * with metrics recording (on) and without (off) under valgrind (callgrind); 2T − T removes
 * start-up, and on − off is what recording adds:
 *   - deltas: a turn's start, its 90 deltas (the first observes the first-token histogram) and
 *     its end through instrumentTurns: per event, 91 a turn, the bound on a delta's own cost;
 *   - turn: the same plus ten database queries through the query timing wrapper and two
 *     provider calls recorded (classification, answer): per turn, all the recording a turn
 *     causes, a bound on what its first token can carry (it carries only a part).
 * Counted with V8's JIT (what production runs) and --jitless (the interpreter only: more
 * instructions, an upper bound). Instructions become time at this CPU's measured rate (the
 * workload's fastest loop outside valgrind over its count with the JIT) and, the judged
 * figure, at the slower of that and 1 ns an instruction. Needs `npm run build` and valgrind
 * (Debian's package); `perf stat -e instructions` needs hardware counters this VM lacks.
 *   node --import tsx bench/metrics-instructions.ts [--turns=4000]
 * Not counted: the HTTP middleware (not on a socket turn's path) and a scrape's serialisation
 * (timed in-process by `npm run bench:metrics`; the paired bench has both end to end).
 */

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const TURNS = Number(argument('turns') ?? 4000);
const EVENTS_PER_TURN = 91;
const TARGET_US = 1000;
const WORKLOAD = 'bench/turn-workload.mjs';

type Mode = 'jit' | 'jitless';
type Kind = 'deltas' | 'turn';
type Side = 'on' | 'off';
const nodeFlags = (mode: Mode) => [
  // One thread (no concurrent compiler or GC threads) and fixed seeds (hash tables, Math.random):
  // two runs of the same count then differ by a few thousand instructions in 850 million.
  '--single-threaded',
  '--hash-seed=1',
  '--random-seed=1',
  ...(mode === 'jitless' ? ['--jitless'] : []),
];

/** Instructions executed by the workload, counted by callgrind. */
function instructions(mode: Mode, kind: Kind, turns: number, side: Side): number {
  const result = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      // V8 writes code it then runs; valgrind must notice the code changed.
      '--smc-check=all-non-file',
      process.execPath,
      ...nodeFlags(mode),
      WORKLOAD,
      String(turns),
      side,
      kind,
    ],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const match = /Collected : (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !match)
    throw new Error(`valgrind failed (${result.status}): ${result.stderr.slice(-800)}`);
  return Number(match[1]);
}

/** The workload's own loop time outside valgrind, fastest of `runs`, ms. */
function loopMs(kind: Kind, turns: number, side: Side, runs = 7): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(
      process.execPath,
      [...nodeFlags('jit'), WORKLOAD, String(turns), side, kind],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`workload failed: ${result.stderr}`);
    fastest = Math.min(fastest, Number(result.stdout.trim()));
  }
  return fastest;
}

const rows: string[] = [];
const rates: string[] = [];
for (const kind of ['deltas', 'turn'] as const) {
  // Per event for deltas (91 a turn), per turn for the whole turn.
  const units = kind === 'deltas' ? TURNS * EVENTS_PER_TURN : TURNS;
  const unitsPerTurn = kind === 'deltas' ? EVENTS_PER_TURN : 1;
  let nsPerInstruction = NaN;
  for (const mode of ['jit', 'jitless'] as const) {
    const count = (side: Side) =>
      instructions(mode, kind, 2 * TURNS, side) - instructions(mode, kind, TURNS, side);
    const marginal = { off: count('off') / units, on: count('on') / units };
    const added = marginal.on - marginal.off;
    if (mode === 'jit') {
      const loop = loopMs(kind, 2 * TURNS, 'on') - loopMs(kind, TURNS, 'on');
      nsPerInstruction = (loop * 1e6) / (marginal.on * units);
      rates.push(`${kind}: ${nsPerInstruction.toFixed(3)} ns`);
    }
    const asTimeUs = (added * nsPerInstruction) / 1000;
    // Judged at the slower of the measured rate and 1 ns an instruction (a pessimistic rate).
    const judgedUs = (Math.max(1, nsPerInstruction) * added * unitsPerTurn) / 1000;
    rows.push(
      `| ${kind === 'deltas' ? 'per delta (event)' : 'per whole turn'} | ` +
        `${mode === 'jit' ? 'JIT (production)' : '--jitless (upper bound)'} | ` +
        `${marginal.off.toFixed(0)} | ${marginal.on.toFixed(0)} | ${added.toFixed(0)} | ` +
        `${asTimeUs.toFixed(2)} µs (${(added / 1000).toFixed(2)} µs at 1 ns) | ` +
        `${judgedUs.toFixed(1)} µs | ` +
        `≤ 1 ms: ${judgedUs <= TARGET_US ? 'met' : '**missed**'} |`,
    );
  }
}
process.stdout.write(
  `Instructions recording adds (${TURNS} vs ${2 * TURNS} turns; ${os.cpus()[0]?.model ?? 'this CPU'}; ` +
    `measured ns an instruction with the JIT: ${rates.join(', ')})\n\n` +
    '| workload | counted | instructions off | on | added | added, as time | a whole turn, judged at ≥ 1 ns an instruction | target |\n' +
    '| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
    rows.join('\n') +
    '\n',
);
