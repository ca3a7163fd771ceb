#!/usr/bin/env node
// Runs a command (the test suite) against a real PostgreSQL server instead of PGlite.
// Each test file creates and drops its own throwaway database on that server.
import { spawnSync } from 'node:child_process';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const [command, ...args] = process.argv.slice(2);
console.log(`Running against PostgreSQL at ${new URL(url).host} (TEST_DATABASE_URL)`);
const result = spawnSync(command, args, {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: url },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
