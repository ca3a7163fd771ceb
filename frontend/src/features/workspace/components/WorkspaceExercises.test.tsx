import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { StudentExercise } from '@hintbook/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../../../test/fetch-mock';
import { stubFetch } from '../../../test/render-app';
import type { RunInKernel } from '../../exercises/run-check';
import { WorkspaceExercises } from './WorkspaceExercises';

const MODULE_ID = '00000000-0000-4000-8000-000000000001';
const NOTEBOOK_ID = '00000000-0000-4000-8000-000000000002';
const EXERCISE_ID = '00000000-0000-4000-8000-000000000003';
const ATTEMPT_ID = '00000000-0000-4000-8000-000000000004';
const LIST = `GET /api/modules/${MODULE_ID}/notebooks/${NOTEBOOK_ID}/exercises`;
const TESTS = `GET /api/exercises/${EXERCISE_ID}/tests`;
const ATTEMPTS = `POST /api/exercises/${EXERCISE_ID}/attempts`;

function buildExercise(overrides: Partial<StudentExercise> = {}): StudentExercise {
  return {
    id: EXERCISE_ID,
    cellId: 'square',
    position: 1,
    prompt: '## Square a number\nWrite `square(x)`.',
    status: 'not_tried',
    checks: 0,
    hasHiddenTests: true,
    ...overrides,
  };
}

const policy = { mode: 'on', maxHintLevel: null, text: 'The tutor is on.', until: null };
const tests = {
  exerciseId: EXERCISE_ID,
  visibleTests: 'assert square(3) == 9, "square(3) should be 9"',
  hiddenTests: 'assert square(-2) == 4',
  timeLimitMs: 10_000,
};

/** A kernel that answers as the check program would, with the marker it was given. */
function kernelAnswering(answer: Record<string, unknown> | 'timeout', code = 'def square(x): ...') {
  const calls: Array<Parameters<RunInKernel>[0]> = [];
  const run: RunInKernel = vi.fn(async (request) => {
    calls.push(request);
    // The check program carries its marker as a Python string literal.
    const found = /"(@@hintbook-check-[^"]+@@)"/.exec(request.program)?.[1] ?? '';
    if (answer === 'timeout') {
      return { code, stdout: '', error: null, timedOut: true, durationMs: 10_020 };
    }
    return {
      code,
      stdout: `a print of the student\n${found}${JSON.stringify(answer)}\n`,
      error: null,
      timedOut: false,
      durationMs: 42,
    };
  });
  return { run, calls };
}

function setup(runInKernel: RunInKernel, exercise = buildExercise()) {
  const mock = stubFetch();
  mock.on(LIST, jsonResponse(200, { exercises: [exercise], policy }));
  const onNotebookCompleted = vi.fn();
  render(
    <WorkspaceExercises
      moduleId={MODULE_ID}
      notebookId={NOTEBOOK_ID}
      runInKernel={runInKernel}
      canCheck
      onNotebookCompleted={onNotebookCompleted}
    />,
  );
  return { mock, onNotebookCompleted, user: userEvent.setup() };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('checking an exercise in the workspace', () => {
  it('runs the fetched tests against the cell, shows the failing test and records the attempt', async () => {
    const { run, calls } = kernelAnswering({
      outcome: 'failed',
      failingTest: 'assert square(3) == 9, "square(3) should be 9"',
      message: 'square(3) should be 9',
    });
    const { mock, user } = setup(run);
    mock.on(TESTS, jsonResponse(200, tests));
    mock.on(
      ATTEMPTS,
      jsonResponse(201, {
        attemptId: ATTEMPT_ID,
        exercise: buildExercise({ status: 'tried', checks: 1 }),
        notebookCompleted: false,
      }),
    );

    await user.click(await screen.findByRole('button', { name: 'Check 1. Square a number' }));

    expect(
      await screen.findByText('A test failed: assert square(3) == 9, "square(3) should be 9"'),
    ).toBeTruthy();
    expect(screen.getByText('It says: square(3) should be 9')).toBeTruthy();
    expect(screen.getByText('Not passed yet')).toBeTruthy();
    expect(calls[0]!.cellId).toBe('square');
    expect(calls[0]!.timeLimitMs).toBe(10_000);
    expect(calls[0]!.program).toContain('assert square(-2) == 4');
    expect(mock.requestsTo(ATTEMPTS)[0]!.body).toEqual({
      code: 'def square(x): ...',
      outcome: 'failed',
      failingTest: 'assert square(3) == 9, "square(3) should be 9"',
      message: 'square(3) should be 9',
      durationMs: 42,
    });
  });

  it('fetches the tests only when the student checks', async () => {
    const { run } = kernelAnswering({ outcome: 'passed', failingTest: null, message: null });
    const { mock } = setup(run);
    await screen.findByRole('button', { name: 'Check 1. Square a number' });
    expect(mock.requestsTo(TESTS)).toHaveLength(0);
    expect(run).not.toHaveBeenCalled();
  });

  it('says a time-out plainly and records it as one', async () => {
    const { run } = kernelAnswering('timeout');
    const { mock, user } = setup(run);
    mock.on(TESTS, jsonResponse(200, tests));
    mock.on(
      ATTEMPTS,
      jsonResponse(201, {
        attemptId: ATTEMPT_ID,
        exercise: buildExercise({ status: 'tried', checks: 1 }),
        notebookCompleted: false,
      }),
    );

    await user.click(await screen.findByRole('button', { name: 'Check 1. Square a number' }));

    expect(await screen.findByText('The check was stopped after 10 s.')).toBeTruthy();
    expect(mock.requestsTo(ATTEMPTS)[0]!.body).toMatchObject({ outcome: 'timeout' });
  });

  it('tells a student who has not written the exercise yet to replace its placeholder', async () => {
    const { run } = kernelAnswering({
      outcome: 'error',
      failingTest: null,
      message: 'NotImplementedError',
    });
    const { mock, user } = setup(run);
    mock.on(TESTS, jsonResponse(200, tests));
    mock.on(
      ATTEMPTS,
      jsonResponse(201, {
        attemptId: ATTEMPT_ID,
        exercise: buildExercise({ status: 'tried', checks: 1 }),
        notebookCompleted: false,
      }),
    );

    await user.click(await screen.findByRole('button', { name: 'Check 1. Square a number' }));

    expect(await screen.findByText('This exercise still has its placeholder.')).toBeTruthy();
    expect(
      screen.getByText(
        'Replace raise NotImplementedError() with your own code, run the cell, then check again.',
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/raised an error before the tests could finish/)).toBeNull();
  });

  it('does not number an exercise twice when its heading already says "Exercise 3"', async () => {
    const { run } = kernelAnswering('timeout');
    setup(run, buildExercise({ prompt: '### Exercise 3: even or odd\nWrite `is_even(n)`.' }));
    expect(
      await screen.findByRole('button', { name: 'Check Exercise 3: even or odd' }),
    ).toBeTruthy();
  });

  it('marks the exercise passed and tells the page when the whole notebook is done', async () => {
    const { run } = kernelAnswering({ outcome: 'passed', failingTest: null, message: null });
    const { mock, user, onNotebookCompleted } = setup(run);
    mock.on(TESTS, jsonResponse(200, tests));
    mock.on(
      ATTEMPTS,
      jsonResponse(201, {
        attemptId: ATTEMPT_ID,
        exercise: buildExercise({ status: 'passed', checks: 2 }),
        notebookCompleted: true,
      }),
    );

    await user.click(await screen.findByRole('button', { name: 'Check 1. Square a number' }));

    expect(await screen.findByText('Passed: every test of this exercise works.')).toBeTruthy();
    const list = screen.getByRole('region', { name: /Exercises/ });
    expect(within(list).getByText('(1 of 1 passed)')).toBeTruthy();
    expect(onNotebookCompleted).toHaveBeenCalledOnce();
  });

  it('says the check could not run when the notebook app does not answer, and records nothing', async () => {
    const run: RunInKernel = vi.fn(async () => {
      throw new Error('No answer to run-check in time.');
    });
    const { mock, user } = setup(run);
    mock.on(TESTS, jsonResponse(200, tests));

    await user.click(await screen.findByRole('button', { name: 'Check 1. Square a number' }));

    expect(
      await screen.findByText('The check could not run: No answer to run-check in time.'),
    ).toBeTruthy();
    expect(mock.requestsTo(ATTEMPTS)).toHaveLength(0);
  });

  it('shows the module policy above the exercises when the tutor is limited', async () => {
    const mock = stubFetch();
    mock.on(
      LIST,
      jsonResponse(200, {
        exercises: [buildExercise()],
        policy: {
          mode: 'hints_only',
          maxHintLevel: 2,
          text: 'The tutor gives hints only.',
          until: null,
        },
      }),
    );
    render(
      <WorkspaceExercises
        moduleId={MODULE_ID}
        notebookId={NOTEBOOK_ID}
        runInKernel={vi.fn()}
        canCheck
        onNotebookCompleted={vi.fn()}
      />,
    );
    expect((await screen.findByRole('note')).textContent).toBe('The tutor gives hints only.');
  });
});
