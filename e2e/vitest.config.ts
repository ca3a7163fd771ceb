import { defineConfig } from 'vitest/config';
import { testReporters } from '../vitest.reporters';

// Ops and browser suites start real servers (nginx, PostgreSQL databases, Chromium): one file at
// a time keeps ports, databases and the two cores free of contention.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'artifacts/**'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A browser under CI load can take seconds for what takes milliseconds on a quiet machine;
    // polls fail only when the state never comes (the default gives up after one second).
    expect: { poll: { timeout: 10_000 } },
    ...testReporters('e2e'),
  },
});
