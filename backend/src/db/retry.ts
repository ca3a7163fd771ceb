import { isTransientDbError } from './errors.js';

/** How often, and how patiently, a write is tried again after a transient failure. */
export interface RetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  /** The wait before the second try; doubled before each next one, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** No new try starts later than this after the first one began. */
  withinMs: number;
}

/**
 * The write that stores a finished answer: the student is waiting for `chat:done`. Tries for up
 * to 10 s, about what a PostgreSQL restart takes, when failures come at once (connection
 * refused); a try that waits for a pool connection itself takes up to the pool's timeout (5 s),
 * so an overloaded process gets three or so tries and the student waits 15 s at most.
 */
export const ANSWER_WRITE_RETRY: RetryPolicy = {
  attempts: 8,
  firstDelayMs: 250,
  maxDelayMs: 2_000,
  withinMs: 10_000,
};

/**
 * Bookkeeping after the student has their answer (usage rows, settling a hold): nobody waits,
 * so up to a minute, enough for a database restart or a burst of load to pass.
 */
export const BOOKKEEPING_RETRY: RetryPolicy = {
  attempts: 10,
  firstDelayMs: 500,
  maxDelayMs: 8_000,
  withinMs: 60_000,
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, and runs it again after a growing, jittered wait while it fails with a transient
 * database error (pool timeout, lost connection, server restarting): at most `policy.attempts`
 * tries, none starting after `policy.withinMs`. Any other error, or the last transient one, is
 * thrown. The jitter keeps hundreds of turns that failed together from coming back together.
 * `work` must be safe to run twice: an UPDATE to the same values, an INSERT that skips a row
 * already stored (a connection can drop after the server committed).
 */
export async function retryTransient<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  options: {
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
    now?: () => number;
  } = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransientDbError(error)) throw error;
      const wait = Math.round(delay * (0.5 + random() / 2));
      if (now() + wait - startedAt > policy.withinMs) throw error;
      await sleep(wait);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
