import type { Clock } from '../lib/clock.js';
import type { ProviderError, ProviderErrorKind, ProviderName } from './types.js';

/**
 * One breaker per provider, so a vendor that keeps failing is skipped (the chain moves on at
 * once) instead of costing every student a timeout. After the cooldown exactly one probe call
 * goes through; its outcome closes or re-opens the circuit.
 *
 * Only retryable failures count: an aborted call says nothing about the vendor, and a rejected
 * request (bad key, wrong model) is a configuration problem that breaking would only hide.
 */

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitStatus {
  state: CircuitState;
  consecutiveFailures: number;
  lastErrorKind: ProviderErrorKind | null;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
  /** When an open circuit lets its probe through. */
  retryAt: string | null;
}

export interface CircuitBreaker {
  /** True when a call may go ahead; in half-open this hands out the single probe slot. */
  tryAcquire(): boolean;
  recordSuccess(): void;
  /** Counts retryable failures; anything else just frees a probe slot. */
  recordFailure(error: ProviderError): void;
  status(): CircuitStatus;
}

export interface CircuitBreakerSettings {
  failureThreshold: number;
  cooldownMs: number;
}

export function createCircuitBreaker(
  settings: CircuitBreakerSettings,
  clock: Clock,
): CircuitBreaker {
  let state: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let openedAt = 0;
  let isProbeInFlight = false;
  let lastErrorKind: ProviderErrorKind | null = null;
  let lastErrorAt: Date | null = null;
  let lastSuccessAt: Date | null = null;

  const now = () => clock().getTime();
  const open = () => {
    state = 'open';
    openedAt = now();
    isProbeInFlight = false;
  };

  return {
    tryAcquire() {
      if (state === 'open' && now() - openedAt >= settings.cooldownMs) state = 'half_open';
      if (state === 'closed') return true;
      if (state === 'half_open' && !isProbeInFlight) {
        isProbeInFlight = true;
        return true;
      }
      return false;
    },
    recordSuccess() {
      state = 'closed';
      consecutiveFailures = 0;
      isProbeInFlight = false;
      lastSuccessAt = clock();
    },
    recordFailure(error) {
      if (error.kind === 'aborted') {
        isProbeInFlight = false;
        return;
      }
      lastErrorKind = error.kind;
      lastErrorAt = clock();
      if (!error.retryable) {
        isProbeInFlight = false;
        return;
      }
      consecutiveFailures += 1;
      if (state === 'half_open' || consecutiveFailures >= settings.failureThreshold) open();
    },
    status() {
      if (state === 'open' && now() - openedAt >= settings.cooldownMs) state = 'half_open';
      return {
        state,
        consecutiveFailures,
        lastErrorKind,
        lastErrorAt: lastErrorAt?.toISOString() ?? null,
        lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
        retryAt: state === 'open' ? new Date(openedAt + settings.cooldownMs).toISOString() : null,
      };
    },
  };
}

/** The breakers of one process, created on first use; `statuses()` feeds /api/health/ai. */
export interface CircuitBreakers {
  for(provider: ProviderName): CircuitBreaker;
  statuses(): Partial<Record<ProviderName, CircuitStatus>>;
}

export function createCircuitBreakers(
  settings: CircuitBreakerSettings,
  clock: Clock,
): CircuitBreakers {
  const breakers = new Map<ProviderName, CircuitBreaker>();
  return {
    for(provider) {
      let breaker = breakers.get(provider);
      if (!breaker) {
        breaker = createCircuitBreaker(settings, clock);
        breakers.set(provider, breaker);
      }
      return breaker;
    },
    statuses() {
      return Object.fromEntries([...breakers].map(([name, breaker]) => [name, breaker.status()]));
    },
  };
}
