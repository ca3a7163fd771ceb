import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { repoRoot } from './lib/processes.js';

/**
 * Issue 18's overhead, counted instead of timed: the instructions a turn's recording executes,
 * free of the machine's noise. bench/turn-workload.mjs runs T and 2T turns of 90 deltas through
 * the backend's build (turn registry and emitter, with and without instrumentTurns) under
 * valgrind (callgrind); the difference between 2T and T turns removes start-up, so
 *   added per event = (Ir(2T, on) − Ir(T, on) − Ir(2T, off) + Ir(T, off)) / (T × 91)
 * (91 events a turn: its start, 90 deltas, the first of which observes the first-token
 * histogram; the end). Counted with V8's JIT (what production runs) and --jitless (the
 * interpreter only: more instructions, an upper bound). Instructions become time at this CPU's
 * measured rate: the same workload's loop, timed outside valgrind (fastest of 7 runs), over
 * its instruction count with the JIT. Needs `npm run build` and valgrind (Debian's package).
 *   node --import tsx bench/metrics-instructions.ts [--turns=4000]
 * No hardware counters are needed (`perf stat -e instructions` is not supported on this VM).
 */

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const TURNS = Number(argument('turns') ?? 4000);
const EVENTS_PER_TURN = 91;
const TARGET_MS = 1;
const WORKLOAD = 'bench/turn-workload.mjs';

type Mode = 'jit' | 'jitless';
const nodeFlags = (mode: Mode) => [
  // One thread (no concurrent compiler or GC threads) and fixed seeds (hash tables, Math.random):
  // two runs of the same count then differ by a few thousand instructions in 850 million.
  '--single-threaded',
  '--hash-seed=1',
  '--random-seed=1',
  ...(mode === 'jitless' ? ['--jitless'] : []),
];

/** Instructions executed by `node <flags> turn-workload.mjs turns side`, counted by callgrind. */
function instructions(mode: Mode, turns: number, side: 'on' | 'off'): number {
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
    ],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const match = /Collected : (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !match)
    throw new Error(`valgrind failed (${result.status}): ${result.stderr.slice(-800)}`);
  return Number(match[1]);
}

/** The workload's own loop time outside valgrind, fastest of `runs`, ms. */
function loopMs(turns: number, side: 'on' | 'off', runs = 7): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(
      process.execPath,
      [...nodeFlags('jit'), WORKLOAD, String(turns), side],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`workload failed: ${result.stderr}`);
    fastest = Math.min(fastest, Number(result.stdout.trim()));
  }
  return fastest;
}

const events = TURNS * EVENTS_PER_TURN;
const rows: string[] = [];
let nsPerInstruction = NaN;
for (const mode of ['jit', 'jitless'] as const) {
  const count = (side: 'on' | 'off') =>
    instructions(mode, 2 * TURNS, side) - instructions(mode, TURNS, side);
  const marginal = { off: count('off') / events, on: count('on') / events };
  const added = marginal.on - marginal.off;
  if (mode === 'jit') {
    const loop = loopMs(2 * TURNS, 'on') - loopMs(TURNS, 'on');
    nsPerInstruction = (loop * 1e6) / (marginal.on * events);
  }
  const addedUs = (added * nsPerInstruction) / 1000;
  // Judged at the slower of the measured rate and 1 ns an instruction (a pessimistic rate).
  const turnUs = (Math.max(1, nsPerInstruction) * added * EVENTS_PER_TURN) / 1000;
  rows.push(
    `| ${mode === 'jit' ? 'with the JIT (production)' : '--jitless (interpreter: upper bound)'} | ` +
      `${marginal.off.toFixed(0)} | ${marginal.on.toFixed(0)} | ${added.toFixed(0)} | ` +
      `${addedUs.toFixed(2)} µs (${(added / 1000).toFixed(2)} µs at 1 ns) | ` +
      `${(addedUs * EVENTS_PER_TURN).toFixed(1)} µs (${turnUs.toFixed(1)} µs at 1 ns) | ` +
      `≤ ${TARGET_MS} ms: ${turnUs <= TARGET_MS * 1000 ? 'met' : '**missed**'} |`,
  );
}
process.stdout.write(
  `Instructions per turn event (${TURNS} vs ${2 * TURNS} turns of ${EVENTS_PER_TURN} events; ` +
    `${os.cpus()[0]?.model ?? 'this CPU'}: ${nsPerInstruction.toFixed(3)} ns an instruction, ` +
    `from the JIT workload's fastest loop)\n\n` +
    "| counted | per event, off | per event, on | added per event | added per event, as time | a whole turn's recording, as time | target |\n" +
    '| --- | --- | --- | --- | --- | --- | --- |\n' +
    rows.join('\n') +
    '\n',
);
