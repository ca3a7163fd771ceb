import { describe, expect, it } from 'vitest';
import { createTestClock } from '../../test/clock.js';
import { createAnswerLeases } from './answer-leases.js';
import { STALE_AFTER_MS } from './turn.types.js';

describe('answer leases', () => {
  it('judges heartbeats from the start: the database was just reached', () => {
    const clock = createTestClock();
    const leases = createAnswerLeases(clock, STALE_AFTER_MS);
    expect(leases.staleBefore(clock())).toEqual(new Date(clock().getTime() - STALE_AFTER_MS));
  });

  it('judges nothing from a failure until the database has been reachable for a whole lease', () => {
    const clock = createTestClock();
    const leases = createAnswerLeases(clock, STALE_AFTER_MS);
    leases.failed();
    clock.advance(8_000); // an outage longer than the lease
    expect(leases.staleBefore(clock())).toBeNull();
    leases.failed();
    leases.reached(); // back: owners beat again within a second
    clock.advance(STALE_AFTER_MS - 1);
    leases.reached(); // later successes do not move the start
    expect(leases.staleBefore(clock())).toBeNull();
    clock.advance(1);
    expect(leases.staleBefore(clock())).toEqual(new Date(clock().getTime() - STALE_AFTER_MS));
  });
});
