import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { createPgliteClient, openDatabase, wrapPglite } from '../db/client.js';
import { applyMigrations } from '../db/migrate.js';
import {
  runOnServer,
  testServerUrl,
  withDatabase,
  type TestDatabaseTemplate,
} from './database.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';

/**
 * Vitest global setup: migrates one template database per run, which every test file then
 * copies (`createMigratedTestDatabase`). Each file still gets a database of its own; only the
 * slow part, initdb and the migrations, is done once.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = testServerUrl();
  const { template, remove } = serverUrl
    ? await migrateServerTemplate(serverUrl)
    : await dumpPgliteTemplates();
  project.provide('testDatabaseTemplate', template);
  return remove;
}

/**
 * On PostgreSQL, a migrated database that `create database … template` copies. Nobody may be
 * connected to it while it is copied, so it is closed before any test starts.
 */
async function migrateServerTemplate(serverUrl: string) {
  const name = `hintbook_template_${randomBytes(6).toString('hex')}`;
  await runOnServer(serverUrl, `create database ${name}`);
  const database = openDatabase({ url: withDatabase(serverUrl, name), dataDir: 'unused' });
  try {
    await applyMigrations(database, MIGRATIONS_DIR);
  } finally {
    await database.close();
  }
  const template: TestDatabaseTemplate = { driver: 'pg', migratedDatabase: name };
  return {
    template,
    remove: () => runOnServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * On PGlite, two dumps of a data directory, written to a temporary folder: one just after
 * initdb (for the migration tests) and one migrated. A test file starts PGlite from a dump.
 */
async function dumpPgliteTemplates() {
  const folder = mkdtempSync(path.join(tmpdir(), 'hintbook-test-databases-'));
  const emptyDumpPath = path.join(folder, 'empty.tar');
  const migratedDumpPath = path.join(folder, 'migrated.tar');
  const client = createPgliteClient('memory://');
  const database = wrapPglite(client);
  try {
    writeFileSync(emptyDumpPath, await dumpDataDir(client));
    await applyMigrations(database, MIGRATIONS_DIR);
    writeFileSync(migratedDumpPath, await dumpDataDir(client));
  } finally {
    await database.close();
  }
  const template: TestDatabaseTemplate = { driver: 'pglite', emptyDumpPath, migratedDumpPath };
  return {
    template,
    remove: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

async function dumpDataDir(client: PGlite): Promise<Uint8Array> {
  // A checkpoint first, so a copy starts without replaying the write-ahead log.
  await client.exec('checkpoint');
  const dump = await client.dumpDataDir('none');
  return new Uint8Array(await dump.arrayBuffer());
}
