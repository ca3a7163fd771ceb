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
beforeAll(async () => {
  [first, second] = await Promise.all([createEmptyTestDatabase(), createEmptyTestDatabase()]);
  cleanups.push(first.drop, second.drop);
});

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
});
