import { describe, expect, it } from 'vitest';
import {
  checkAnswer,
  createStreamGuard,
  DEFAULT_GUARD_LIMITS,
  type GuardOptions,
  type GuardStep,
} from './answer-guard.js';
import { HINTS, LEAKS, MEAN_OF_POSITIVES } from './answer-guard.fixtures.js';
import { solutionOverlap } from './solution-overlap.js';

/** Streams `text` through a fresh guard in chunks of `size` characters; returns what it released. */
function stream(text: string, size: number, options: GuardOptions = {}) {
  const guard = createStreamGuard(options);
  let released = '';
  let last: GuardStep = { release: '' };
  for (let start = 0; start < text.length && !last.trip; start += size) {
    last = guard.push(text.slice(start, start + size));
    released += last.release;
  }
  if (!last.trip) {
    last = guard.finish();
    released += last.release;
  }
  return { released, trip: last.trip };
}

const options = (fixture: { reference?: string }): GuardOptions =>
  fixture.reference ? { referenceSolution: fixture.reference } : {};

describe('the answer guard over whole answers', () => {
  it.each(LEAKS)('trips on $name', (fixture) => {
    const { trip } = checkAnswer(fixture.answer, options(fixture));
    expect(trip?.reason).toBe(fixture.reason);
  });

  it.each(HINTS)('lets $name through', (fixture) => {
    expect(checkAnswer(fixture.answer, options(fixture)).trip).toBeNull();
  });

  it('trips on a reference copy only when the reference is given', () => {
    const copy = LEAKS.find((f) => f.name.startsWith('the reference cut'))!;
    expect(checkAnswer(copy.answer).trip).toBeNull();
    expect(checkAnswer(copy.answer, options(copy)).trip?.reason).toBe('solution_overlap');
  });

  it('allows exactly the configured number of code lines in a block', () => {
    const block = (lines: number) =>
      '```python\n' + Array.from({ length: lines }, (_, i) => `x${i} = ${i}`).join('\n') + '\n```';
    expect(checkAnswer(block(DEFAULT_GUARD_LIMITS.maxBlockCodeLines)).trip).toBeNull();
    expect(checkAnswer(block(DEFAULT_GUARD_LIMITS.maxBlockCodeLines + 1)).trip).toMatchObject({
      reason: 'code_lines',
    });
  });

  it('keeps the hints far below the overlap threshold and the copies far above it', () => {
    const copy = LEAKS.find((f) => f.name.startsWith('a near-copy'))!;
    const pointer = HINTS.find((f) => f.name.startsWith('a pointer'))!;
    expect(solutionOverlap(copy.answer, MEAN_OF_POSITIVES, { n: 5 })).toBeGreaterThan(0.8);
    expect(solutionOverlap(pointer.answer, MEAN_OF_POSITIVES, { n: 5 })).toBeLessThan(0.1);
  });
});

describe('the answer guard on a stream', () => {
  const sizes = [1, 2, 3, 7, 16, 64];

  it.each(LEAKS)('never releases text it would reject: $name', (fixture) => {
    for (const size of sizes) {
      const { released, trip } = stream(fixture.answer, size, options(fixture));
      expect(trip?.reason, `chunks of ${size}`).toBe(fixture.reason);
      // What the student saw must itself pass: no prefix of a leak gets out.
      expect(checkAnswer(released, options(fixture)).trip, `chunks of ${size}`).toBeNull();
    }
  });

  it.each(HINTS)('releases all of $name, whatever the chunking', (fixture) => {
    for (const size of sizes) {
      const { released, trip } = stream(fixture.answer, size, options(fixture));
      expect(trip).toBeUndefined();
      expect(released).toBe(fixture.answer);
    }
  });

  it('streams prose at once and holds a code fence until it closes', () => {
    const guard = createStreamGuard();
    expect(guard.push('Think about what ').release).toBe('Think about what ');
    expect(guard.push('happens.\n```python\nx = 1\n').release).toBe('happens.\n');
    expect(guard.push('y = 2\n').release).toBe('');
    expect(guard.push('```\nNow think.').release).toBe('```python\nx = 1\ny = 2\n```\nNow think.');
  });

  it('holds a line that starts like code until it is known', () => {
    const guard = createStreamGuard();
    expect(guard.push('for x').release).toBe('');
    expect(guard.push(' in xs:\n').release).toBe('');
    expect(guard.push('Which list is xs?').release).toBe('for x in xs:\nWhich list is xs?');
  });

  it('holds back only the word cut at a chunk end while checking the reference', () => {
    const guard = createStreamGuard({ referenceSolution: MEAN_OF_POSITIVES });
    expect(guard.push('Think about pos').release).toBe('Think about ');
    expect(guard.push('itives first.').release).toBe('positives first.');
    expect(guard.finish().release).toBe('');
  });

  it('releases nothing more after a trip', () => {
    const guard = createStreamGuard();
    const leak = LEAKS[0]!.answer;
    const step = guard.push(leak);
    expect(step.trip?.reason).toBe('code_lines');
    expect(guard.push('More prose.').release).toBe('');
    expect(guard.finish().trip?.reason).toBe('code_lines');
  });
});

describe('a one-line reference solution', () => {
  const reference = 'return n * n';

  it('trips on an answer that hands it over, fenced or in a sentence', () => {
    const fenced = '```python\ndef square(n):\n    return n * n\n```';
    expect(checkAnswer(fenced, { referenceSolution: reference }).trip).toMatchObject({
      reason: 'solution_overlap',
    });
    expect(
      checkAnswer('Just write return n * n in the body.', {
        referenceSolution: reference,
      }).trip,
    ).toMatchObject({ reason: 'solution_overlap' });
  });

  it('lets a hint about it through', () => {
    expect(
      checkAnswer('What do you get when you multiply a number by itself? Try it with 3.', {
        referenceSolution: reference,
      }).trip,
    ).toBeNull();
  });
});
