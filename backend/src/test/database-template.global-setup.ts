import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { createPgliteClient, openDatabase, wrapPglite } from '../db/client.js';
import { applyMigrations } from '../db/migrate.js';
import { runOnServer, testServerUrl, withDatabase, type TestDatabaseTemplate } from './database.js';
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
    : await pgliteTemplate();
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
 * On PGlite, two dumps of a data directory: one just after initdb (for the migration tests) and
 * one migrated. A test file starts PGlite from a dump. They are kept in the system's temporary
 * folder under a name that changes whenever the migrations, PGlite or this file do, so most runs,
 * and every run of a single file, skip building them.
 */
async function pgliteTemplate() {
  const folder = path.join(tmpdir(), `${DUMPS_PREFIX}${dumpsKey()}`);
  if (!existsSync(folder)) await buildPgliteDumps(folder);
  const template: TestDatabaseTemplate = {
    driver: 'pglite',
    emptyDumpPath: path.join(folder, 'empty.tar'),
    migratedDumpPath: path.join(folder, 'migrated.tar'),
  };
  return { template, remove: async () => {} };
}

const DUMPS_PREFIX = 'hintbook-test-databases-';

async function buildPgliteDumps(folder: string): Promise<void> {
  const building = mkdtempSync(`${folder}.building-`);
  const client = createPgliteClient('memory://');
  const database = wrapPglite(client);
  try {
    writeFileSync(path.join(building, 'empty.tar'), await dumpDataDir(client));
    await applyMigrations(database, MIGRATIONS_DIR);
    writeFileSync(path.join(building, 'migrated.tar'), await dumpDataDir(client));
  } finally {
    await database.close();
  }
  try {
    renameSync(building, folder);
  } catch (error) {
    // Another run built the same dumps at the same time; theirs are as good.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(folder)) throw error;
  }
  removeStaleDumps(folder);
}

async function dumpDataDir(client: PGlite): Promise<Uint8Array> {
  // A checkpoint first, so a copy starts without replaying the write-ahead log.
  await client.exec('checkpoint');
  const dump = await client.dumpDataDir('none');
  return new Uint8Array(await dump.arrayBuffer());
}

/** Changes with every migration, PGlite or pgvector release, and this file. */
function dumpsKey(): string {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    hash.update(readFileSync(path.join(path.dirname(require.resolve(name)), '../package.json')));
  }
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  const files = readdirSync(MIGRATIONS_DIR, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const full = path.join(MIGRATIONS_DIR, file);
    if (statSync(full).isFile()) hash.update(file).update(readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Dumps of older migrations, left a day ago or more (a day, since other checkouts may use them). */
function removeStaleDumps(current: string): void {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(tmpdir())) {
    const folder = path.join(tmpdir(), name);
    if (!name.startsWith(DUMPS_PREFIX) || folder === current) continue;
    if (statSync(folder).mtimeMs < dayAgo) rmSync(folder, { recursive: true, force: true });
  }
}
