import { defineConfig } from 'vitest/config';
import { testReporters } from '../vitest.reporters';

export default defineConfig({
  resolve: { conditions: ['@hintbook/source'] },
  ssr: { resolve: { conditions: ['@hintbook/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each file gets its own database; two cores run two files at a time.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    setupFiles: ['src/test/block-outbound-network.ts'],
    ...testReporters('backend'),
  },
});
