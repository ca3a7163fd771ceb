import { describe, expect, it } from 'vitest';
import { COUNT_VOWELS } from './answer-guard.fixtures.js';
import {
  createNgramCounter,
  referenceNgrams,
  solutionOverlap,
  wordBoundary,
} from './solution-overlap.js';

const settings = { n: 5 };

describe('solutionOverlap', () => {
  it('sees through new whitespace and comments', () => {
    const reformatted = COUNT_VOWELS.replace(/ {4}/g, '\t').replace(/\n/g, '  # step\n');
    expect(solutionOverlap(reformatted, COUNT_VOWELS, settings)).toBe(1);
  });

  it('keeps names, so the same shape with other names is not a copy', () => {
    const renamed = COUNT_VOWELS.replace(/count/g, 'n').replace(/char/g, 'c');
    expect(solutionOverlap(renamed, COUNT_VOWELS, settings)).toBeLessThan(0.3);
  });

  it('is zero for prose that mentions the same words one at a time', () => {
    const prose = 'Count each char of the text and return count when you are done.';
    expect(solutionOverlap(prose, COUNT_VOWELS, settings)).toBe(0);
  });
});

describe('the incremental counter', () => {
  it('counts the same when fed in chunks cut at word boundaries', () => {
    const grams = referenceNgrams(COUNT_VOWELS, settings);
    const counter = createNgramCounter(grams, settings);
    let tail = '';
    for (let start = 0; start < COUNT_VOWELS.length; start += 3) {
      const pending = tail + COUNT_VOWELS.slice(start, start + 3);
      const cut = wordBoundary(pending);
      counter.feed(pending.slice(0, cut));
      tail = pending.slice(cut);
    }
    counter.feed(tail);
    expect(counter.matched).toBe(grams.size);
  });

  it('finds the end of the last whole word', () => {
    expect(wordBoundary('sum(xs')).toBe(4);
    expect(wordBoundary('total')).toBe(0);
    expect(wordBoundary('a b ')).toBe(4);
  });
});
