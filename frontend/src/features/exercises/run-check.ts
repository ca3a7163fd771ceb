import type { RecordAttemptResponse, StudentExercise } from '@hintbook/contracts';
import { randomId } from '../../lib/ids';
import type { BridgeResults } from '../../lib/jupyterlite-bridge';
import { getExerciseTests, recordAttempt } from './api';
import { buildCheckProgram, parseCheckOutput } from './check-program';
import type { CheckResult } from './check-result';

/** Runs a program in the student's kernel against a cell's current code (the bridge's `run-check`). */
export type RunInKernel = (request: {
  cellId: string;
  program: string;
  timeLimitMs: number;
}) => Promise<BridgeResults['run-check']>;

export interface CheckDone {
  result: CheckResult;
  recorded: RecordAttemptResponse;
}

/**
 * One Check: fetch the tests, run them in the kernel, read the answer, record it. The tests live
 * only in this call's memory; the notebook never sees them.
 */
export async function checkExercise(
  exercise: StudentExercise,
  runInKernel: RunInKernel,
): Promise<CheckDone> {
  const tests = await getExerciseTests(exercise.id);
  const marker = `@@hintbook-check-${randomId()}@@`;
  const program = buildCheckProgram({
    visibleTests: tests.visibleTests,
    hiddenTests: tests.hiddenTests,
    marker,
  });
  const run = await runInKernel({
    cellId: exercise.cellId,
    program,
    timeLimitMs: tests.timeLimitMs,
  });
  const result = readResult(run, marker, tests.timeLimitMs);
  const recorded = await recordAttempt(exercise.id, {
    code: run.code,
    outcome: result.outcome,
    // The server's limits; a long assertion message is still shown in full on screen.
    failingTest: result.failingTest?.slice(0, 2_000) ?? null,
    message: result.message?.slice(0, 4_000) ?? null,
    durationMs: Math.min(Math.max(0, Math.round(run.durationMs)), 3_600_000),
  });
  return { result, recorded };
}

function readResult(
  run: BridgeResults['run-check'],
  marker: string,
  timeLimitMs: number,
): CheckResult {
  const base = { durationMs: run.durationMs, timeLimitMs };
  if (run.timedOut) return { ...base, outcome: 'timeout', failingTest: null, message: null };
  const parsed = parseCheckOutput(run.stdout, marker);
  if (parsed) return { ...base, ...parsed };
  // The program itself did not finish (a kernel that died, a `sys.exit()` in the student's code).
  const message = run.error
    ? `${run.error.ename}: ${run.error.evalue}`
    : 'The check did not finish. Run your cell once, then check again.';
  return { ...base, outcome: 'error', failingTest: null, message };
}
