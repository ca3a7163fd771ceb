import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../db/client.js';
import { applyMigrations } from '../db/migrate.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';

/**
 * What the run's global setup (`database-template.global-setup.ts`) prepared once. Copying it
 * takes about a second; initdb and nineteen migrations for every test file took ten or more on a
 * loaded machine, which was most of the suite's time.
 */
export type TestDatabaseTemplate =
  | { driver: 'pglite'; emptyDumpPath: string; migratedDumpPath: string }
  | { driver: 'pg'; migratedDatabase: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseTemplate: TestDatabaseTemplate;
  }
}

export interface TestDatabase {
  database: Database;
  /** The postgres:// URL of this database; absent on PGlite. */
  url?: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, with every migration applied: in-memory PGlite by
 * default (zero setup), or a throwaway database on a real server when TEST_DATABASE_URL names one
 * (CI runs both). Both are copies of a template migrated once per run.
 */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const template = providedTemplate();
  if (template?.driver === 'pglite') return openPgliteCopy(template.migratedDumpPath);
  if (template?.driver === 'pg') return createServerDatabase(template.migratedDatabase);
  // Outside a Vitest run with the global setup (the bench, say): build it the slow way.
  const testDatabase = await createEmptyTestDatabase();
  await applyMigrations(testDatabase.database, MIGRATIONS_DIR);
  return testDatabase;
}

/** A database of its own with nothing in it, not even the migrations table (migration tests). */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const template = providedTemplate();
  if (template?.driver === 'pglite') return openPgliteCopy(template.emptyDumpPath);
  if (testServerUrl()) return createServerDatabase();
  const database = openDatabase({ dataDir: 'memory://' });
  return { database, drop: () => database.close() };
}

/** The server that TEST_DATABASE_URL names, or undefined for PGlite. */
export function testServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

function providedTemplate(): TestDatabaseTemplate | undefined {
  // `inject` only works inside a Vitest worker; the bench builds test apps under plain tsx.
  return process.env.VITEST ? inject('testDatabaseTemplate') : undefined;
}

async function openPgliteCopy(dumpPath: string): Promise<TestDatabase> {
  const database = openDatabase({ dataDir: 'memory://', loadDataDir: await openAsBlob(dumpPath) });
  return { database, drop: () => database.close() };
}

/** A throwaway `hintbook_test_<random>` database, copied from `template` when given. */
async function createServerDatabase(template?: string): Promise<TestDatabase> {
  const serverUrl = testServerUrl()!;
  const name = `hintbook_test_${randomBytes(6).toString('hex')}`;
  await runOnServer(serverUrl, `create database ${name}${template ? ` template ${template}` : ''}`);
  const url = withDatabase(serverUrl, name);
  const database = openDatabase({ url, dataDir: 'unused', poolMax: 5 });
  return {
    database,
    url,
    async drop() {
      await database.close();
      await runOnServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

export function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
