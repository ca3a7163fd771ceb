import type { CheckOutcome } from '@hintbook/contracts';

/** What running an exercise's tests in the student's kernel gave. */
export interface CheckResult {
  outcome: CheckOutcome;
  /** The test line that failed (an `assert …`), when one did. */
  failingTest: string | null;
  /** The assertion's message or the error, e.g. `NameError: name 'x' is not defined`. */
  message: string | null;
  durationMs: number;
  /** The check's time limit, for the timeout message. */
  timeLimitMs?: number;
}

/** The result in plain words: a heading and, when something went wrong, what and where. */
export function describeCheck(result: CheckResult): { title: string; detail: string | null } {
  switch (result.outcome) {
    case 'passed':
      return { title: 'Passed: every test of this exercise works.', detail: null };
    case 'failed':
      return {
        title: result.failingTest ? `A test failed: ${result.failingTest}` : 'A test failed.',
        detail: result.message ? `It says: ${result.message}` : null,
      };
    case 'timeout': {
      const seconds = Math.round((result.timeLimitMs ?? result.durationMs) / 1000);
      return {
        title: `The check was stopped after ${seconds} s.`,
        detail:
          'Your code may loop forever. Python was restarted, so run your cells again; your notebook is as you left it.',
      };
    }
    case 'error':
      // nbgrader's placeholder: the student has not written this exercise yet, nothing broke.
      if (result.message && /^NotImplementedError\b/.test(result.message))
        return {
          title: 'This exercise still has its placeholder.',
          detail:
            'Replace raise NotImplementedError() with your own code, run the cell, then check again.',
        };
      return {
        title: 'Your code raised an error before the tests could finish.',
        detail: result.message,
      };
  }
}
