import { defineConfig } from 'vitest/config';
import { testReporters } from '../vitest.reporters';

export default defineConfig({
  test: { include: ['src/**/*.test.ts'], ...testReporters('contracts') },
});
