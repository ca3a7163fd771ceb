import { isTransientDbError } from './errors.js';

/** How often, and how patiently, a write is tried again after a transient failure. */
export interface RetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  /** The wait before the second try; doubled before each next one, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * The write that stores a finished answer: the student is waiting for `chat:done`, so a few quick
 * tries. Each may itself wait up to the pool's connection timeout (5 s) when the process is
 * overloaded, so this bounds the wait at about 4 × 5 s + 1.4 s.
 */
export const ANSWER_WRITE_RETRY: RetryPolicy = {
  attempts: 4,
  firstDelayMs: 200,
  maxDelayMs: 1_000,
};

/**
 * Bookkeeping after the student has their answer (usage rows, settling a hold): nobody waits, so
 * more patience: waits of 0.5 + 1 + 2 + 4 + 8 s between six tries, about half a minute with the
 * pool's own timeouts, enough for a database restart or a burst of load to pass.
 */
export const BOOKKEEPING_RETRY: RetryPolicy = { attempts: 6, firstDelayMs: 500, maxDelayMs: 8_000 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, and runs it again after a growing, jittered wait while it fails with a transient
 * database error (pool timeout, lost connection, server restarting), at most `policy.attempts`
 * times in all. Any other error, or the last transient one, is thrown. The jitter keeps hundreds
 * of turns that failed together from coming back together. `work` must be safe to run twice
 * (an UPDATE to the same values; an INSERT whose first try certainly failed to commit).
 */
export async function retryTransient<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  options: { sleep?: (ms: number) => Promise<void>; random?: () => number } = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransientDbError(error)) throw error;
      await sleep(Math.round(delay * (0.5 + random() / 2)));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
