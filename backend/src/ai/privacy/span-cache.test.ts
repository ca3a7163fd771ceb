import { describe, expect, it } from 'vitest';
import { createRedactionVault, REDACTION_KINDS, type RedactionKind } from './redaction.js';
import { findSensitiveSpans } from './redaction-patterns.js';
import { createSpanCache, spanOptionsKey, type SpanScanOptions } from './span-cache.js';

const ALL = new Set<RedactionKind>(REDACTION_KINDS);
const OLA = { kinds: ALL, identity: { names: ['ola_k'], email: 'ola.k@uni.edu' } };
const ED = { kinds: ALL, identity: { names: ['edward'], email: 'ed@uni.edu' } };

function countingCache(limits = { maxTexts: 100, maxChars: 10_000 }) {
  const scanned: string[] = [];
  const cache = createSpanCache(limits, (text, options) => {
    scanned.push(text);
    return findSensitiveSpans(text, options);
  });
  const spansOf = (text: string, options: SpanScanOptions) =>
    cache.spansOf(text, options, spanOptionsKey(options));
  return { cache, scanned, spansOf };
}

describe('the redaction span cache', () => {
  it('scans a text sent again with the same options once', () => {
    const { scanned, spansOf } = countingCache();
    const text = 'mail me at ola@gmail.com';
    const first = spansOf(text, OLA);
    // A history message read afresh for the next turn is another string with the same text.
    expect(spansOf(`mail me at ${'ola@gmail.com'}`, OLA)).toEqual(first);
    expect(scanned).toEqual([text]);
  });

  it('scans again for another student, whose own name and email are other spans', () => {
    const { scanned, spansOf } = countingCache();
    const text = 'I am edward, write to ed@uni.edu';
    expect(spansOf(text, OLA).map((found) => found.fixedLabel)).toEqual([undefined]);
    expect(spansOf(text, ED).map((found) => found.fixedLabel)).toEqual([
      'STUDENT_NAME',
      'STUDENT_EMAIL',
    ]);
    expect(scanned).toHaveLength(2);
  });

  it('scans again when the kinds differ', () => {
    const { scanned, spansOf } = countingCache();
    const text = 'call +48 601 234 567';
    expect(spansOf(text, { ...OLA, kinds: new Set<RedactionKind>(['email']) })).toEqual([]);
    expect(spansOf(text, OLA)).toHaveLength(1);
    expect(scanned).toHaveLength(2);
  });

  it('forgets the least recently used text beyond its limit', () => {
    const { scanned, spansOf } = countingCache({ maxTexts: 2, maxChars: 10_000 });
    spansOf('first', OLA);
    spansOf('second', OLA);
    spansOf('first', OLA);
    spansOf('third', OLA); // `second` goes
    spansOf('first', OLA);
    spansOf('second', OLA);
    expect(scanned).toEqual(['first', 'second', 'third', 'second']);
  });

  it('keeps no more characters than its limit and never a text longer than it', () => {
    const { scanned, spansOf } = countingCache({ maxTexts: 100, maxChars: 10 });
    spansOf('12345678901', OLA);
    spansOf('12345678901', OLA);
    spansOf('123456', OLA);
    spansOf('abcdef', OLA); // 12 characters in all: `123456` goes
    spansOf('abcdef', OLA);
    spansOf('123456', OLA);
    expect(scanned).toEqual(['12345678901', '12345678901', '123456', 'abcdef', '123456']);
  });

  it('leaves each turn its own placeholders for spans found by an earlier turn', () => {
    const { cache, scanned } = countingCache();
    const text = 'ola@gmail.com or ed@gmail.com';
    const earlier = createRedactionVault({ ...OLA, spanCache: cache });
    expect(earlier.redact('ed@gmail.com')).toBe('⟦EMAIL_1⟧');
    expect(earlier.redact(text)).toBe('⟦EMAIL_2⟧ or ⟦EMAIL_1⟧');
    const later = createRedactionVault({ ...OLA, spanCache: cache });
    expect(later.redact(text)).toBe('⟦EMAIL_1⟧ or ⟦EMAIL_2⟧');
    expect(later.restore('⟦EMAIL_2⟧')).toBe('ed@gmail.com');
    expect(later.counts().email).toBe(2);
    expect(scanned).toEqual(['ed@gmail.com', text]);
  });
});
