import { describe, expect, it } from 'vitest';
import { isTransientDbError } from './errors.js';
import { retryTransient } from './retry.js';

const policy = { attempts: 3, firstDelayMs: 100, maxDelayMs: 150, withinMs: 1_000 };
// Drizzle's query error carries the driver's as `cause`, and the query in its message.
const wrapped = (cause: Error) =>
  Object.assign(new Error('Failed query: update "messages" set ...'), { cause, query: 'update' });
const poolTimeout = () => wrapped(new Error('timeout exceeded when trying to connect'));

function run(failures: Error[], options: { attempts?: number; triesTakeMs?: number } = {}) {
  const waits: number[] = [];
  let calls = 0;
  let clock = 0;
  const result = retryTransient(
    async () => {
      calls += 1;
      clock += options.triesTakeMs ?? 0;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'stored';
    },
    { ...policy, attempts: options.attempts ?? policy.attempts },
    {
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      random: () => 1,
      now: () => clock,
    },
  );
  return { result, waits, calls: () => calls };
}

describe('retryTransient', () => {
  it('tries again after a pool timeout, waiting longer each time up to the cap', async () => {
    const attempt = run([poolTimeout(), poolTimeout()]);
    await expect(attempt.result).resolves.toBe('stored');
    expect(attempt.calls()).toBe(3);
    expect(attempt.waits).toEqual([100, 150]);
  });

  it('gives up after the last attempt and throws the last error', async () => {
    const last = poolTimeout();
    const attempt = run([poolTimeout(), poolTimeout(), last, poolTimeout()]);
    await expect(attempt.result).rejects.toBe(last);
    expect(attempt.calls()).toBe(3);
  });

  it('starts no try after its time is up, however many tries are left', async () => {
    // Each try waits 400 ms for a pool connection: 400, wait 100, 900, wait 150 → past 1 s.
    const last = poolTimeout();
    const attempt = run([poolTimeout(), last, poolTimeout()], { attempts: 10, triesTakeMs: 400 });
    await expect(attempt.result).rejects.toBe(last);
    expect(attempt.calls()).toBe(2);
    expect(attempt.waits).toEqual([100]);
  });

  it('does not retry an error that is not transient', async () => {
    const broken = wrapped(Object.assign(new Error('violates check'), { code: '23514' }));
    const attempt = run([broken]);
    await expect(attempt.result).rejects.toBe(broken);
    expect(attempt.calls()).toBe(1);
  });
});

describe('isTransientDbError', () => {
  it.each([
    ['a pool timeout wrapped by Drizzle', poolTimeout()],
    ['a lost connection', wrapped(new Error('Connection terminated unexpectedly'))],
    [
      'a refused connection',
      wrapped(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })),
    ],
    ['a server that is restarting', wrapped(Object.assign(new Error('x'), { code: '57P01' }))],
    ['too many connections', wrapped(Object.assign(new Error('x'), { code: '53300' }))],
  ])('is true for %s', (_label, error) => {
    expect(isTransientDbError(error)).toBe(true);
  });

  it('is false for a bad query or a broken constraint', () => {
    expect(isTransientDbError(wrapped(Object.assign(new Error('x'), { code: '42601' })))).toBe(
      false,
    );
    expect(isTransientDbError(wrapped(Object.assign(new Error('x'), { code: '23505' })))).toBe(
      false,
    );
  });
});
