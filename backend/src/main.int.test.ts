import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// A second Node process compiles and loads the whole backend with tsx before it reads its
// settings: 11-15 s on a busy two-core machine, far more than a test in this process takes.
const BOOT_TIMEOUT_MS = 50_000;

describe('starting the server', () => {
  it(
    'refuses to start in production with a weak secret and says why',
    { timeout: BOOT_TIMEOUT_MS + 10_000 },
    () => {
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=@hintbook/source', 'src/main.ts'],
        {
          cwd: backendDir,
          encoding: 'utf8',
          timeout: BOOT_TIMEOUT_MS,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'production',
            JWT_SECRET_KEY: 'changeme',
            DATABASE_URL: 'postgres://127.0.0.1:1/none',
          },
        },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Hintbook cannot start.');
      expect(result.stderr).toContain('JWT_SECRET_KEY is a placeholder');
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    },
  );
});
