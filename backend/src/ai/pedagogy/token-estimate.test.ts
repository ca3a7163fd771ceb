import { describe, expect, it } from 'vitest';
import type { LlmMessage } from '../types.js';
import { estimateMessageTokens, estimateTokens, fitToBudget } from './token-estimate.js';

const msg = (role: LlmMessage['role'], chars: number, tag = ''): LlmMessage => ({
  role,
  content: tag + 'x'.repeat(chars - tag.length),
});

describe('estimateTokens', () => {
  it('counts about one token per 3.5 characters, rounded up', () => {
    expect(estimateTokens('x'.repeat(35))).toBe(10);
    expect(estimateTokens('x'.repeat(36))).toBe(11);
  });

  it('is at least 1 for any text and 0 for none', () => {
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens('')).toBe(0);
  });

  it('adds a fixed overhead per message', () => {
    expect(estimateMessageTokens({ role: 'user', content: 'x'.repeat(35) })).toBe(14);
  });
});

describe('fitToBudget', () => {
  // Each 35-character message costs 10 + 4 = 14 estimated tokens.
  const history = [
    msg('user', 35, 'u1'),
    msg('assistant', 35, 'a1'),
    msg('user', 35, 'u2'),
    msg('assistant', 35, 'a2'),
  ];

  it('keeps everything when it all fits', () => {
    expect(fitToBudget(history, 56)).toEqual({ kept: history, folded: [] });
  });

  it('keeps the newest messages that fit and folds the older ones, in order', () => {
    const { kept, folded } = fitToBudget(history, 28);
    expect(kept).toEqual(history.slice(2));
    expect(folded).toEqual(history.slice(0, 2));
  });

  it('never starts the kept part with an assistant message', () => {
    // 42 tokens would fit three messages, but the third-newest is an assistant answer.
    const { kept, folded } = fitToBudget(history, 42);
    expect(kept).toEqual(history.slice(2));
    expect(folded).toEqual(history.slice(0, 2));
  });

  it('keeps a contiguous tail: a long message stops the walk back', () => {
    const withLong = [msg('user', 35, 'u0'), msg('assistant', 3500, 'long'), ...history.slice(2)];
    const { kept, folded } = fitToBudget(withLong, 100);
    expect(kept).toEqual(history.slice(2));
    expect(folded).toEqual(withLong.slice(0, 2));
  });

  it('folds everything when even the newest message does not fit', () => {
    expect(fitToBudget(history, 10)).toEqual({ kept: [], folded: history });
    expect(fitToBudget(history, 0)).toEqual({ kept: [], folded: history });
  });

  it('handles an empty history', () => {
    expect(fitToBudget([], 100)).toEqual({ kept: [], folded: [] });
  });
});
