import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('starting the server', () => {
  it('refuses to start in production with a weak secret and says why', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@hintbook/source', 'src/main.ts'],
      {
        cwd: backendDir,
        encoding: 'utf8',
        timeout: 30_000,
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
  });
});
