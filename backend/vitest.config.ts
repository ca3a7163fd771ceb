import { defineConfig } from 'vitest/config';
import { testReporters } from '../vitest.reporters';

export default defineConfig({
  resolve: { conditions: ['@hintbook/source'] },
  ssr: { resolve: { conditions: ['@hintbook/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each file gets its own database, copied from a template migrated once per run (see
    // src/test/database.ts); two cores run two files at a time.
    globalSetup: ['src/test/database-template.global-setup.ts'],
    maxWorkers: 2,
    // PGlite is WebAssembly. V8 first compiles it with its baseline compiler, Liftoff, then
    // recompiles hot functions with TurboFan in the background; a test file is too short-lived for
    // that to pay off, and on two busy cores the recompiling took CPU from the tests themselves
    // (measured: see docs/testing.md).
    execArgv: ['--liftoff-only'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    setupFiles: ['src/test/block-outbound-network.ts'],
    ...testReporters('backend'),
  },
});
