import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { answerOwners } from '../../db/schema/chat.js';
import { createTestClock } from '../../test/clock.js';
import { createMigratedTestDatabase, type TestDatabase } from '../../test/database.js';
import { createActiveTurns } from './active-turns.js';
import { createAnswerLeases } from './answer-leases.js';
import { startOrphanSweeper } from './orphan-sweeper.js';
import { startOwnerHeartbeat } from './owner-heartbeat.js';

// beatNow and sweepNow are what tests and shutdown call to act at the caller's time. A tick's
// beat or sweep already in flight was started at an earlier time; joining it answered with
// that earlier time (a flaky replicas test: an owner beat a lease old, its answer ended).

let test: TestDatabase;
beforeAll(async () => {
  test = await createMigratedTestDatabase();
});
afterAll(() => test.drop());

/** The database, with `method`'s first query held until `release()`; counts every call. */
function holdFirst(db: Db, method: 'insert' | 'update') {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const calls = { count: 0 };
  // Drizzle's builders run their query on `then`: the first one waits for the gate there, through
  // whatever chain (`values`, `onConflictDoUpdate`, `returning`) builds it.
  const heldAtThen = (builder: object): object =>
    new Proxy(builder, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        const call = (...args: unknown[]) =>
          (value as (...a: unknown[]) => unknown).apply(target, args);
        if (key === 'then') return (...args: unknown[]) => gate.then(() => call(...args));
        return (...args: unknown[]) => {
          const next = call(...args);
          return typeof next === 'object' && next !== null ? heldAtThen(next) : next;
        };
      },
    });
  const proxy = new Proxy(db, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key !== method || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.count += 1;
        const builder = (value as (...a: unknown[]) => object).apply(target, args);
        return calls.count === 1 ? heldAtThen(builder) : builder;
      };
    },
  });
  return { db: proxy as Db, release, calls };
}

describe('acting now while a tick is in flight', () => {
  it('beatNow writes the caller’s time, not that of the beat already on its way', async () => {
    const clock = createTestClock();
    const started = clock();
    const leases = createAnswerLeases(clock, 10_000);
    const held = holdFirst(test.database.db, 'insert');
    // Starting beats at once (the start's beat), and that beat is held on its way.
    const heart = startOwnerHeartbeat({
      db: held.db,
      clock,
      logger: pino({ level: 'silent' }),
      leases,
      intervalMs: 60_000,
    });
    clock.advance(30_000);
    const now = heart.beatNow();
    held.release();
    await now;
    heart.stop();
    const [row] = await test.database.db
      .select()
      .from(answerOwners)
      .where(eq(answerOwners.id, leases.ownerId));
    expect(row?.beatAt.getTime()).toBe(started.getTime() + 30_000);
    expect(held.calls.count).toBe(2);
  });

  it('sweepNow runs a sweep of its own after the one already on its way', async () => {
    const clock = createTestClock();
    const held = holdFirst(test.database.db, 'update');
    const sweeper = startOrphanSweeper({
      db: held.db,
      clock,
      logger: pino({ level: 'silent' }),
      emitter: { toUser: () => {} } as never,
      activeTurns: createActiveTurns(),
      leases: createAnswerLeases(clock, 10_000),
      intervalMs: 60_000,
    });
    const first = sweeper.sweepNow();
    clock.advance(30_000);
    const now = sweeper.sweepNow();
    held.release();
    await Promise.all([first, now]);
    sweeper.stop();
    expect(held.calls.count).toBe(2);
  });
});
