import { describe, expect, it } from 'vitest';
import { billedUsage, estimateRequestTokens, wasRefused } from './usage-estimate.js';
import { ProviderError } from './types.js';

const estimate = { inputTokens: 120, outputTokens: 30 };

describe('billedUsage', () => {
  it('keeps the vendor count of a completed call, even when our estimate is higher', () => {
    expect(billedUsage({ inputTokens: 100, outputTokens: 20 }, estimate, true)).toEqual({
      usage: { inputTokens: 100, outputTokens: 20 },
      isEstimate: false,
    });
  });

  it('estimates everything, flagged, when a stopped call had no count yet (OpenAI)', () => {
    expect(billedUsage(undefined, estimate, false)).toEqual({
      usage: estimate,
      isEstimate: true,
    });
  });

  it('keeps the vendor input and estimates the output of a stopped Anthropic stream', () => {
    expect(billedUsage({ inputTokens: 100, outputTokens: 1 }, estimate, false)).toEqual({
      usage: { inputTokens: 100, outputTokens: 30 },
      isEstimate: true,
    });
  });

  it('keeps a running vendor count that is ahead of the estimate, unflagged (Gemini)', () => {
    expect(billedUsage({ inputTokens: 100, outputTokens: 40 }, estimate, false)).toEqual({
      usage: { inputTokens: 100, outputTokens: 40 },
      isEstimate: false,
    });
  });

  it('estimates a completed call whose server sent zeros (a server that ignores include_usage)', () => {
    expect(billedUsage({ inputTokens: 0, outputTokens: 0 }, estimate, true)).toMatchObject({
      usage: estimate,
      isEstimate: true,
    });
  });
});

describe('estimateRequestTokens', () => {
  it('counts the system prompt and every message with its overhead', () => {
    const tokens = estimateRequestTokens({
      system: 'x'.repeat(35),
      messages: [{ role: 'user', content: 'y'.repeat(70) }],
    });
    expect(tokens).toBe(10 + 20 + 4);
  });
});

describe('wasRefused', () => {
  it('treats an HTTP error or a connection that never opened as unbilled, a timeout as billed', () => {
    expect(wasRefused(new ProviderError('openai', 'rate_limited', '429', { status: 429 }))).toBe(
      true,
    );
    expect(wasRefused(new ProviderError('openai', 'connection', 'refused'))).toBe(true);
    expect(wasRefused(new ProviderError('openai', 'timeout', 'slow'))).toBe(false);
    expect(wasRefused(new ProviderError('openai', 'aborted', 'stop'))).toBe(false);
  });
});
