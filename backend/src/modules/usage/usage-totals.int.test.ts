import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { usageEvents } from '../../db/schema/index.js';
import { registerThroughApi } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { limitsForUser, reserveTurn, settleReservation, windowStarts } from './quota.service.js';
import { insertUsageEvent, sumSpendingTotals } from './usage.repository.js';

/** The running totals a hold reads instead of summing the month (usage.repository.ts). */
describe('usage totals', () => {
  const BUDGET_USD = 10;
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      MONTHLY_BUDGET_USD: String(BUDGET_USD),
      CHAT_DAILY_TOKENS: '1000000',
      CHAT_WEEKLY_TOKENS: '0',
    });
  });
  afterAll(() => t.close());

  const deps = () => ({ db: t.database.db, limits: t.config.chat, clock: t.clock });
  const call = (userId: string | null, at: Date, tokens: number, costUsd: number) =>
    insertUsageEvent(t.database.db, {
      userId,
      purpose: 'answer',
      provider: 'openai',
      model: 'gpt-5-mini',
      inputTokens: tokens,
      outputTokens: 1,
      costUsd,
      outcome: 'ok',
      createdAt: at,
    });

  it('holds what concurrent first questions may spend within what the month has left', async () => {
    const now = t.clock();
    // 9.5 of the 10 USD spent already, by someone else.
    await call(null, now, 1_000, 9.5);
    const students = await Promise.all(
      Array.from({ length: 8 }, async () => (await registerThroughApi(t.app)).body.user.id),
    );
    const estimate = { tokens: 2_000, costUsd: 0.2 };
    const outcomes = await Promise.allSettled(
      students.map(async (userId) =>
        reserveTurn(deps(), userId, estimate, await limitsForUser(deps(), userId)),
      ),
    );
    const held = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value] : [],
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as { code: string }] : [],
    );
    // 0.2 + 0.2 + what was left (0.1), then nothing: together exactly the 0.5 left.
    expect(held.map((hold) => hold.capUsd).sort()).toEqual(
      [0.1, 0.2, 0.2].map((usd) => expect.closeTo(usd, 6)),
    );
    expect(refused).toHaveLength(5);
    expect(refused.every((error) => error.code === 'chat.budget_exhausted')).toBe(true);

    // The turns settle: what they stored replaces what they held, to the cent.
    await Promise.all(held.map((hold, i) => call(students[i]!, now, 100, hold.capUsd! / 2)));
    await Promise.all(held.map((hold) => settleReservation(deps(), hold)));
    const totals = await sumSpendingTotals(t.database.db, {
      userId: students[0]!,
      ...windowStarts(now),
      now,
    });
    expect(totals.reservedCost).toBe(0);
    expect(totals.spentThisMonth).toBeCloseTo(9.5 + 0.25, 6);
  });

  it('counts each event in its own UTC day, week and month', async () => {
    const userId = (await registerThroughApi(t.app)).body.user.id;
    const now = t.clock(); // Monday 2026-01-05, 09:00 UTC
    const windows = windowStarts(now);
    const before = await sumSpendingTotals(t.database.db, { userId, ...windows, now });
    await call(userId, now, 99, 0.01); // today: 100 tokens
    await call(userId, new Date('2026-01-05T00:00:00Z'), 49, 0.01); // today, at midnight: 50
    await call(userId, new Date('2026-01-04T23:59:59Z'), 9, 0.01); // Sunday: last week, this month
    await call(userId, new Date('2025-12-31T12:00:00Z'), 4, 0.01); // last month
    const totals = await sumSpendingTotals(t.database.db, { userId, ...windows, now });
    expect(totals.usedToday).toBe(150);
    expect(totals.usedThisWeek).toBe(150);
    expect(totals.spentThisMonth).toBeCloseTo(before.spentThisMonth + 0.03, 6);

    // The totals agree with the events they count.
    const rows = await t.database.db.select().from(usageEvents);
    const januarysCost = rows
      .filter((row) => row.createdAt >= windows.month)
      .reduce((sum, row) => sum + row.costUsd, 0);
    expect(totals.spentThisMonth).toBeCloseTo(januarysCost, 6);
  });

  it('counts an event stored by a plain insert, as a replica on the previous release does', async () => {
    const userId = (await registerThroughApi(t.app)).body.user.id;
    const now = t.clock();
    const windows = windowStarts(now);
    const before = await sumSpendingTotals(t.database.db, { userId, ...windows, now });
    // Not through insertUsageEvent: the previous release's own insert, straight into the table.
    await t.database.db.insert(usageEvents).values({
      userId,
      purpose: 'answer',
      provider: 'openai',
      model: 'gpt-5-mini',
      inputTokens: 40,
      outputTokens: 2,
      costUsd: 0.25,
      outcome: 'ok',
      createdAt: now,
    });
    const after = await sumSpendingTotals(t.database.db, { userId, ...windows, now });
    expect(after.usedToday - before.usedToday).toBe(42);
    expect(after.usedThisWeek - before.usedThisWeek).toBe(42);
    expect(after.spentThisMonth - before.spentThisMonth).toBeCloseTo(0.25, 6);
  });
});

/**
 * Two replicas each hold through their own pool: only the hold's advisory lock keeps them apart,
 * not this process's queue (one per pool). On PGlite there is one connection: no app is started.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('holds taken from two pools at once', () => {
  const DAILY = 10_000;
  let t: TestApp;
  let secondPool: Database | undefined;
  beforeAll(async () => {
    t = await createTestApp({
      MONTHLY_BUDGET_USD: '0',
      CHAT_DAILY_TOKENS: String(DAILY),
      CHAT_WEEKLY_TOKENS: '0',
    });
    secondPool = t.databaseUrl
      ? openDatabase({ url: t.databaseUrl, dataDir: 'unused', poolMax: 5 })
      : undefined;
  });
  afterAll(async () => {
    await secondPool?.close();
    await t.close();
  });

  it('never hold more than the allowance has left, whichever pool asks', async () => {
    const userId = (await registerThroughApi(t.app)).body.user.id;
    await insertUsageEvent(t.database.db, {
      userId,
      purpose: 'answer',
      provider: 'openai',
      model: 'gpt-5-mini',
      inputTokens: DAILY - 1_000,
      outputTokens: 0,
      outcome: 'ok',
      createdAt: t.clock(),
    });
    const pools = [t.database.db, secondPool!.db];
    const limits = await limitsForUser(
      { db: pools[0]!, limits: t.config.chat, clock: t.clock },
      userId,
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        reserveTurn(
          { db: pools[i % 2]!, limits: t.config.chat, clock: t.clock },
          userId,
          { tokens: 400, costUsd: 0 },
          limits,
        ),
      ),
    );
    const held = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value.capTokens!] : [],
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [(outcome.reason as { code: string }).code] : [],
    );
    // 400 + 400 + the 200 left, then nothing: exactly the 1,000 tokens left, in any order.
    expect(held.sort((a, b) => a - b)).toEqual([200, 400, 400]);
    expect(refused).toEqual(Array(5).fill('chat.allowance_exhausted'));
  });
});
