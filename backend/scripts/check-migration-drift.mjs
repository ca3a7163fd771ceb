#!/usr/bin/env node
// Fails when the Drizzle schema and the committed migrations/ disagree: it asks drizzle-kit
// to generate into a scratch copy of migrations/ and checks that nothing new appears.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const migrationsDir = path.resolve(backendDir, '..', 'migrations');
const scratch = mkdtempSync(path.join(tmpdir(), 'hintbook-drift-'));
const scratchMigrations = path.join(scratch, 'migrations');
cpSync(migrationsDir, scratchMigrations, { recursive: true });

const configFile = path.join(scratch, 'drizzle.config.mjs');
writeFileSync(
  configFile,
  `export default ${JSON.stringify({
    dialect: 'postgresql',
    schema: './src/db/schema/index.ts',
    // drizzle-kit joins `out` onto the working directory, so it must be relative.
    out: path.relative(backendDir, scratchMigrations),
    casing: 'snake_case',
  })};\n`,
);

const before = new Set(readdirSync(scratchMigrations));
const result = spawnSync(
  'npx',
  ['drizzle-kit', 'generate', '--config', configFile, '--name', 'drift_check'],
  {
    cwd: backendDir,
    encoding: 'utf8',
  },
);
const added = readdirSync(scratchMigrations).filter((file) => !before.has(file));
rmSync(scratch, { recursive: true, force: true });

const output = `${result.stdout}\n${result.stderr}`;
// drizzle-kit exits 0 even when it crashes, so judge by what it printed.
const sawNoChanges = /No schema changes/i.test(output);
if (result.status !== 0 || (!sawNoChanges && added.length === 0)) {
  console.error(result.stdout, result.stderr);
  console.error('drizzle-kit generate failed; see above.');
  process.exit(1);
}
if (added.length > 0) {
  console.error(
    'The Drizzle schema changed without a migration. Run `npm run db:generate -- --name <what_changed>`,\n' +
      'read the SQL it writes into migrations/, and commit it.',
  );
  process.exit(1);
}
console.log('migrations/ matches the Drizzle schema');
