import { describe, expect, it } from 'vitest';
import { classifyLine, closesFence, fenceOpener, isProsePrefix } from './code-lines.js';

describe('classifyLine outside a fence', () => {
  it.each([
    'def mean(xs):',
    '    total = 0',
    'total += x',
    'for i, x in enumerate(xs):',
    'if n < 0:',
    'if not xs:',
    'while x in seen:',
    'else:',
    'return total',
    'return a + b',
    'print(total)',
    'xs.append(x)',
    'from math import sqrt',
    'import numpy as np',
    '>>> 1 + 1',
    '@lru_cache',
    'n: int = 0',
    '}',
  ])('counts %j as code', (line) => {
    expect(classifyLine(line, false)).toBe('code');
  });

  it.each([
    'Great question!',
    'Think about what `sum()` does.',
    'If you get stuck:',
    'if you get stuck:',
    'return the total at the end',
    'for each number in the list:',
    'Set total = 0 before the loop.',
    '- Use a loop',
    '1. Start a counter',
    '## Steps',
    '$x = 1$',
    'sum(xs) adds the numbers',
  ])('counts %j as prose', (line) => {
    expect(classifyLine(line, false)).toBe('prose');
  });
});

describe('classifyLine inside a fence', () => {
  it('counts bare code but not pseudocode, comments or blanks', () => {
    expect(classifyLine('    count += 1', true)).toBe('code');
    expect(classifyLine(']', true)).toBe('code');
    expect(classifyLine('xs', true)).toBe('code');
    expect(classifyLine('add one to the counter', true)).toBe('prose');
    expect(classifyLine('if it is one of a, e, i, o, u:', true)).toBe('prose');
    expect(classifyLine('# keep the positives', true)).toBe('comment');
    expect(classifyLine('   ', true)).toBe('blank');
  });
});

describe('isProsePrefix', () => {
  it('decides prose from the first words', () => {
    expect(isProsePrefix('Think')).toBe(false); // may still become `Think = 1`
    expect(isProsePrefix('Think a')).toBe(true);
    expect(isProsePrefix('Sure, ')).toBe(true);
    expect(isProsePrefix('Python3 has')).toBe(true);
    expect(isProsePrefix('hint1 hint2')).toBe(true);
  });

  it('waits on a line that may still become code', () => {
    expect(isProsePrefix('total')).toBe(false);
    expect(isProsePrefix('for x')).toBe(false);
    expect(isProsePrefix('return t')).toBe(false);
    expect(isProsePrefix('``')).toBe(false);
  });

  it('never calls a prefix prose when the whole line is code', () => {
    const lines = ['total = 0', 'xs.append(x)', 'for x in xs:', 'return total', 'import math'];
    for (const line of lines)
      for (let end = 1; end <= line.length; end += 1)
        expect(isProsePrefix(line.slice(0, end)), line.slice(0, end)).toBe(false);
  });
});

describe('fences', () => {
  it('opens with three or more backticks or tildes and closes with the same', () => {
    const fence = fenceOpener('```python');
    expect(fence).toEqual({ char: '`', length: 3 });
    expect(closesFence('```', fence!)).toBe(true);
    expect(closesFence('~~~', fence!)).toBe(false);
    expect(closesFence('```python', fence!)).toBe(false);
    expect(fenceOpener('Use ``` to open a fence')).toBeNull();
  });
});
