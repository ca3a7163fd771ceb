import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyTestDatabase, type TestDatabase } from '../test/database.js';
import { MIGRATIONS_DIR } from '../test/migrations-dir.js';
import { openDatabase } from './client.js';
import { applyMigrations, countAppliedMigrations, countExpectedMigrations } from './migrate.js';
import { selectRows } from './raw.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// Made before the tests so each test times only what it is about: the migrations.
let first: TestDatabase;
let second: TestDatabase;
let third: TestDatabase;
beforeAll(async () => {
  [first, second, third] = await Promise.all([
    createEmptyTestDatabase(),
    createEmptyTestDatabase(),
    createEmptyTestDatabase(),
  ]);
  cleanups.push(first.drop, second.drop, third.drop);
});

/** A copy of the migrations folder that stops before `tag` (a database of an earlier release). */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hintbook-migrations-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(stop).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, stop);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe(`migrations on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('apply on an empty database, create the tables and are a no-op the second time', async () => {
    const { database } = first;
    expect(await countAppliedMigrations(database.db)).toBe(0);

    await applyMigrations(database, MIGRATIONS_DIR);
    await applyMigrations(database, MIGRATIONS_DIR);

    expect(await countAppliedMigrations(database.db)).toBe(countExpectedMigrations(MIGRATIONS_DIR));
    const tables = await selectRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['users', 'refresh_tokens']),
    );
  });

  it('serialise concurrent starts through the advisory lock (two replicas booting together)', async () => {
    const { database, url } = second;
    // PGlite is one in-process connection; the race only exists with a server.
    const replica = url ? openDatabase({ url, dataDir: 'unused' }) : database;
    if (replica !== database) cleanups.push(() => replica.close());

    await Promise.all([
      applyMigrations(database, MIGRATIONS_DIR),
      applyMigrations(replica, MIGRATIONS_DIR),
    ]);

    expect(await countAppliedMigrations(database.db)).toBe(countExpectedMigrations(MIGRATIONS_DIR));
  });

  it('fill the usage totals from the events stored before them, and count later ones once', async () => {
    const { database } = third;
    await applyMigrations(database, migrationsBefore('0020_backfill_usage_totals'));
    const [user] = await selectRows<{ id: string }>(
      database.db,
      sql`insert into users (email, username, password_hash) values ('a@example.org', 'a', 'x')
        returning id`,
    );
    const event = (userId: string | null, at: string, tokens: number, cost: number) =>
      database.db.execute(sql`insert into usage_events
        (user_id, purpose, provider, model, input_tokens, output_tokens, cost_usd, outcome, created_at)
        values (${userId}, 'answer', 'openai', 'gpt-5-mini', ${tokens}, 0, ${cost}, 'ok', ${at})`);
    await event(user!.id, '2026-01-05T09:00:00Z', 100, 0.5); // Monday
    await event(user!.id, '2026-01-04T09:00:00Z', 10, 0.25); // the Sunday before: last week
    await event(null, '2026-01-05T10:00:00Z', 1000, 2); // no user (a deleted account's)

    await applyMigrations(database, MIGRATIONS_DIR);
    await event(user!.id, '2026-01-05T11:00:00Z', 1, 0.125); // after: counted by the trigger

    const months = await selectRows<{ tokens: string; cost_usd: string }>(
      database.db,
      sql`select tokens, cost_usd from usage_monthly_totals where month = '2026-01-01T00:00:00Z'`,
    );
    expect(months.map((row) => [Number(row.tokens), Number(row.cost_usd)])).toEqual([
      [1111, 2.875],
    ]);
    const periods = await selectRows<{ period: string; starts_at: Date | string; tokens: string }>(
      database.db,
      sql`select period, starts_at, tokens from usage_user_totals order by period, starts_at`,
    );
    expect(
      periods.map((row) => [row.period, new Date(row.starts_at).toISOString(), Number(row.tokens)]),
    ).toEqual([
      ['day', '2026-01-04T00:00:00.000Z', 10],
      ['day', '2026-01-05T00:00:00.000Z', 101],
      ['week', '2025-12-29T00:00:00.000Z', 10],
      ['week', '2026-01-05T00:00:00.000Z', 101],
    ]);
  });
});
