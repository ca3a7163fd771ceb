/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite';
import { testReporters } from '../vitest.reporters';

// The backend the dev server proxies to; the SPA itself always calls its own origin.
const apiTarget = process.env.HINTBOOK_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    // Read @hintbook/contracts from its TypeScript source, so the SPA never needs a stale dist/.
    conditions: ['@hintbook/source', ...defaultClientConditions],
  },
  // Tests that run in the node environment (check-program.test.ts) resolve it the same way.
  ssr: { resolve: { conditions: ['@hintbook/source', ...defaultServerConditions] } },
  server: {
    // Same origin in dev as behind nginx: the refresh cookie (path /api/auth) just works.
    proxy: {
      '/api': { target: apiTarget },
      '/health': { target: apiTarget },
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    ...testReporters('frontend'),
  },
});
