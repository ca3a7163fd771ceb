import { describe, expect, it } from 'vitest';
import { createTestClock } from '../test/clock.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { ProviderError, type ProviderErrorKind } from './types.js';

const failure = (kind: ProviderErrorKind) => new ProviderError('openai', kind, kind);

function setup() {
  const clock = createTestClock();
  const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000 }, clock);
  return { clock, breaker };
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive retryable failures', () => {
    const { breaker } = setup();
    breaker.recordFailure(failure('server'));
    breaker.recordFailure(failure('timeout'));
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure(failure('rate_limited'));
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.status()).toMatchObject({
      state: 'open',
      consecutiveFailures: 3,
      lastErrorKind: 'rate_limited',
    });
  });

  it('does not count aborted calls or rejected requests', () => {
    const { breaker } = setup();
    for (let i = 0; i < 5; i += 1) {
      breaker.recordFailure(failure('aborted'));
      breaker.recordFailure(failure('invalid_request'));
      breaker.recordFailure(failure('auth'));
    }
    expect(breaker.status()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('a success resets the count', () => {
    const { breaker } = setup();
    breaker.recordFailure(failure('server'));
    breaker.recordFailure(failure('server'));
    breaker.recordSuccess();
    breaker.recordFailure(failure('server'));
    expect(breaker.status()).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
  });

  it('lets exactly one probe through after the cooldown and closes when it succeeds', () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 3; i += 1) breaker.recordFailure(failure('server'));
    clock.advance(9_999);
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(breaker.status().state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.status()).toMatchObject({
      state: 'closed',
      lastSuccessAt: clock().toISOString(),
    });
  });

  it('re-opens for another cooldown when the probe fails', () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 3; i += 1) breaker.recordFailure(failure('server'));
    clock.advance(10_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure(failure('overloaded'));
    expect(breaker.status()).toMatchObject({
      state: 'open',
      retryAt: new Date(clock().getTime() + 10_000).toISOString(),
    });
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('frees the probe slot when the probe is aborted', () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 3; i += 1) breaker.recordFailure(failure('server'));
    clock.advance(10_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure(failure('aborted'));
    expect(breaker.tryAcquire()).toBe(true);
  });
});
