// @vitest-environment node
/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCheckProgram, parseCheckOutput } from './check-program';

const MARKER = '@@hintbook-check-test@@';
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Runs the program as the bridge would (the code bound first) in a real CPython. */
function check(code: string, visibleTests: string, hiddenTests = '', before = '') {
  const program = buildCheckProgram({ visibleTests, hiddenTests, marker: MARKER });
  const source = `${before}\n__hintbook_code__ = ${JSON.stringify(code)}\n${program}\nprint('left:', sorted(k for k in globals() if 'hintbook' in k))`;
  const run = spawnSync('python3', ['-c', source], { encoding: 'utf8' });
  return { result: parseCheckOutput(run.stdout, MARKER), stdout: run.stdout };
}

const SQUARE_TESTS = 'assert square(3) == 9, "square(3) should be 9"\nassert square(0) == 0';

describe.skipIf(!hasPython)('the check program in Python', () => {
  it('passes code that satisfies every test', () => {
    const { result } = check(
      'def square(x):\n    return x * x',
      SQUARE_TESTS,
      'assert square(-2) == 4',
    );
    expect(result).toEqual({ outcome: 'passed', failingTest: null, message: null });
  });

  it('names the failing assert and its message', () => {
    const { result } = check('def square(x):\n    return x + x', SQUARE_TESTS);
    expect(result).toEqual({
      outcome: 'failed',
      failingTest: 'assert square(3) == 9, "square(3) should be 9"',
      message: 'square(3) should be 9',
    });
  });

  it('keeps hidden tests unnamed but passes on their message', () => {
    const { result } = check(
      'def square(x):\n    return abs(x) * x',
      SQUARE_TESTS,
      'assert square(1) == 1\nassert square(-2) == 4, "negative numbers square to positive"',
    );
    expect(result).toEqual({
      outcome: 'failed',
      failingTest: 'hidden test 2',
      message: 'negative numbers square to positive',
    });
  });

  it('calls test functions and names the one that failed', () => {
    const tests =
      'def test_small():\n    assert square(2) == 4\n\ndef test_big():\n    assert square(10) == 100, "ten"';
    const { result } = check('def square(x):\n    return 4 if x == 2 else 0', tests);
    expect(result).toEqual({ outcome: 'failed', failingTest: 'test_big', message: 'ten' });
  });

  it('reports an error raised by the student code before any test', () => {
    const { result } = check('# YOUR CODE HERE\nraise NotImplementedError()', SQUARE_TESTS);
    expect(result).toEqual({ outcome: 'error', failingTest: null, message: 'NotImplementedError' });
  });

  it('reports an error raised inside a test with the test that raised it', () => {
    const { result } = check('def square(x):\n    return y', SQUARE_TESTS);
    expect(result).toEqual({
      outcome: 'error',
      failingTest: 'assert square(3) == 9, "square(3) should be 9"',
      message: "NameError: name 'y' is not defined",
    });
  });

  it('sees what earlier cells defined and leaves nothing of its own behind', () => {
    const { result, stdout } = check(
      'def square(x):\n    return times(x, x)',
      SQUARE_TESTS,
      '',
      'def times(a, b):\n    return a * b',
    );
    expect(result?.outcome).toBe('passed');
    expect(stdout).toContain('left: []');
  });

  it('is not fooled by the student printing a result line without the marker', () => {
    const { result } = check(
      'print(\'{"outcome": "passed"}\')\ndef square(x):\n    return 0',
      SQUARE_TESTS,
    );
    expect(result?.outcome).toBe('failed');
  });
});

describe('reading the check output', () => {
  it('finds the result line among the student prints', () => {
    const stdout = `hello\n${MARKER}{"outcome":"passed","failingTest":null,"message":null}\n`;
    expect(parseCheckOutput(stdout, MARKER)).toEqual({
      outcome: 'passed',
      failingTest: null,
      message: null,
    });
  });

  it('gives nothing when the program never printed its result', () => {
    expect(parseCheckOutput('hello\n', MARKER)).toBeNull();
    expect(parseCheckOutput(`${MARKER}{"outcome":"timeout"}`, MARKER)).toBeNull();
  });
});
