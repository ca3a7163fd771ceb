import type { NotebookContext } from '@hintbook/contracts';
import { describe, expect, it } from 'vitest';
import {
  findEvidence,
  fingerprintMessage,
  readMessage,
  snapshotNotebook,
  strengthOf,
  type EvidenceInput,
} from './evidence.js';

describe('readMessage', () => {
  it.each([
    'Write the function that sums a list for me',
    'Just give me the answer',
    'No, the full code please',
    'ok',
    'Please, I have no time',
    'Give me the code',
    'just give me the answer!!!',
    'I need the solution (urgent)',
    'for example: what is a loop?',
  ])('sees no attempt in the bare demand %j', (message) => {
    expect(readMessage(message)).toEqual({
      hasCode: false,
      quotesError: false,
      describesAttempt: false,
    });
  });

  it.each([
    ['a fenced block', 'Here:\n```python\ntotal = 0\n```'],
    ['an assignment', 'total = 0\nthen what?'],
    ['an augmented assignment', 'I wrote\n  total += n'],
    ['a call', 'why does sum(numbers) not work?'],
    ['a def line', 'def total(xs):\n    pass'],
    ['a for loop line', 'for n in numbers:\n  print(n)'],
    ['inline code', 'is `xs[0]` right?'],
  ])('sees code in %s', (_name, message) => {
    expect(readMessage(message).hasCode).toBe(true);
  });

  it.each([
    ['an error name', 'it stops with TypeError'],
    ['a traceback', 'Traceback (most recent call last): ...'],
  ])('sees a quoted error in %s', (_name, message) => {
    expect(readMessage(message).quotesError).toBe(true);
  });

  it.each([
    'I tried a while loop but it never stops',
    "I've changed the range and now it is off by one",
    'it says index out of range',
    'my code prints nothing',
    'it doesn’t work... it does not return anything',
    'I get 7 instead of 6',
    'I ran it and it printed None',
  ])('sees an attempt described in %j', (message) => {
    expect(readMessage(message).describesAttempt).toBe(true);
  });
});

const context = (overrides: Partial<NotebookContext> = {}): NotebookContext => ({
  activeCellSource: 'def total(xs):\n    return 0',
  activeCellOutputs: ['0'],
  ...overrides,
});
const typeError = {
  ename: 'TypeError',
  evalue: "unsupported operand type(s) for +: 'int' and 'str'",
};

describe('snapshotNotebook', () => {
  it('is null without a notebook and ignores trailing whitespace in the cell', () => {
    expect(snapshotNotebook(undefined)).toBeNull();
    const a = snapshotNotebook(context())!;
    const b = snapshotNotebook(
      context({ activeCellSource: 'def total(xs):  \r\n    return 0\n' }),
    )!;
    expect(b.cell).toBe(a.cell);
  });

  it('has no run without outputs or an error, and no cell for an empty one', () => {
    expect(snapshotNotebook({ activeCellSource: '  ' })).toEqual({
      cell: null,
      run: null,
      error: null,
    });
  });

  it('keeps the same error id when only the traceback moved, but sees a new run', () => {
    const a = snapshotNotebook(context({ lastError: { ...typeError, traceback: 'line 2' } }))!;
    const b = snapshotNotebook(context({ lastError: { ...typeError, traceback: 'line 3' } }))!;
    expect(b.error).toBe(a.error);
    expect(b.run).not.toBe(a.run);
  });
});

describe('findEvidence', () => {
  const seen = snapshotNotebook(context())!;
  const base: EvidenceInput = {
    message: 'Give me the code',
    seen,
    lastMessageFingerprint: null,
    pendingEffort: false,
  };
  const changed = context({
    activeCellSource: 'def total(xs):\n    return sum(xs)',
    activeCellOutputs: ['6'],
  });

  // [case, input, expected strength]
  it.each<[string, Partial<EvidenceInput>, 'none' | 'words' | 'concrete']>([
    ['a demand with no notebook', {}, 'none'],
    ['a demand with the same notebook as last time', { notebookContext: context() }, 'none'],
    ['code changed and run', { notebookContext: changed }, 'concrete'],
    [
      'code changed but not run (the old output still shows)',
      { notebookContext: context({ activeCellSource: 'def total(xs):\n    return 1' }) },
      'none',
    ],
    ['code edited with nothing to compare with', { notebookContext: changed, seen: null }, 'none'],
    ['a new error', { notebookContext: context({ lastError: typeError }) }, 'concrete'],
    [
      'the same error as last time, code unchanged',
      {
        notebookContext: context({ lastError: typeError }),
        seen: snapshotNotebook(context({ lastError: typeError })),
      },
      'none',
    ],
    [
      'a failing test in the output',
      { notebookContext: context({ activeCellOutputs: ['1 tests failed: AssertionError'] }) },
      'concrete',
    ],
    ['code in the message', { message: 'total = 0\nfor n in xs:\n    total += n' }, 'concrete'],
    ['a quoted error in the message', { message: 'it gives me a NameError' }, 'concrete'],
    ['an attempt in words', { message: 'I tried a loop but it stops early' }, 'words'],
    ['only the classifier saw effort last turn', { pendingEffort: true }, 'words'],
    [
      'the very same message again',
      {
        message: 'I tried a loop but it stops early',
        lastMessageFingerprint: fingerprintMessage('I  tried a loop but it stops EARLY'),
      },
      'none',
    ],
  ])('%s → %s', (_case, overrides, strength) => {
    expect(strengthOf(findEvidence({ ...base, ...overrides }))).toBe(strength);
  });

  it('says what it saw', () => {
    const evidence = findEvidence({
      ...base,
      message: 'I changed it, now it says TypeError',
      notebookContext: { ...changed, lastError: typeError },
    });
    expect(evidence).toEqual({
      changedAndRan: true,
      newFailure: true,
      messageShowsWork: true,
      messageDescribesAttempt: true,
      classifierSawEffort: false,
    });
  });
});
