import { describe, expect, it } from 'vitest';
import { kindFromStatus, mapTransportError, parseRetryAfter } from './provider-errors.js';

describe('parseRetryAfter', () => {
  const now = () => Date.parse('2026-01-05T09:00:00Z');

  it('reads seconds, HTTP dates and retry-after-ms (which wins)', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '7' }), now)).toBe(7_000);
    expect(
      parseRetryAfter(new Headers({ 'retry-after': 'Mon, 05 Jan 2026 09:00:30 GMT' }), now),
    ).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': '7', 'retry-after-ms': '250' }, now)).toBe(250);
  });

  it('ignores nonsense and treats past dates as now', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(
      parseRetryAfter(new Headers({ 'retry-after': 'Mon, 05 Jan 2026 08:00:00 GMT' }), now),
    ).toBe(0);
  });
});

describe('error kinds', () => {
  it('maps HTTP statuses', () => {
    expect([429, 529, 503, 500, 502, 504, 401, 403, 400, 404, 422].map(kindFromStatus)).toEqual([
      'rate_limited',
      'overloaded',
      'overloaded',
      'server',
      'server',
      'timeout',
      'auth',
      'auth',
      'invalid_request',
      'invalid_request',
      'invalid_request',
    ]);
  });

  it('tells our own abort from a broken connection or a malformed body', () => {
    const aborted = new AbortController();
    aborted.abort();
    const live = new AbortController().signal;
    expect(mapTransportError('openai', new Error('boom'), aborted.signal).kind).toBe('aborted');
    expect(mapTransportError('openai', new TypeError('terminated'), live).kind).toBe('connection');
    expect(
      mapTransportError('openai', new SyntaxError('Unexpected end of JSON input'), live).kind,
    ).toBe('bad_response');
  });
});
