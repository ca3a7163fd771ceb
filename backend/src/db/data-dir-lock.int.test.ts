import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { EmbeddedDatabaseInUse, lockDataDir } from './data-dir-lock.js';

const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A second Node process compiles the backend with tsx first: 11-15 s on a busy two-core machine.
const BOOT_TIMEOUT_MS = 50_000;

const folders: string[] = [];
function newDataDir(): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hintbook-lock-'));
  folders.push(dataDir);
  return dataDir;
}
const lockFileOf = (dataDir: string) => path.join(dataDir, 'pglite.lock');
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Runs a backend entry point from source with the embedded database in `dataDir`. */
function runEntry(entry: string, args: string[], dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@hintbook/source', entry, ...args],
    {
      cwd: backendDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        ADMIN_EMAIL: 'teacher@school.example',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: BOOT_TIMEOUT_MS,
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
}

describe('one process at a time on the embedded database', () => {
  it(
    'refuses the server and the admin command while another process has it open, and says so',
    { timeout: BOOT_TIMEOUT_MS + 20_000 },
    async () => {
      const dataDir = newDataDir();
      // As the running server holds it.
      const database = openDatabase({ dataDir });
      try {
        const [server, admin] = await Promise.all([
          runEntry('src/main.ts', [], dataDir),
          runEntry(
            'src/modules/users/admin.cli.ts',
            ['promote', 'teacher@school.example'],
            dataDir,
          ),
        ]);
        for (const run of [server, admin]) {
          expect(run.code).toBe(1);
          expect(run.stderr).toContain(`open in another Hintbook process (pid ${process.pid})`);
          expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
        }
        expect(server.stderr).toContain('Hintbook cannot start.');
      } finally {
        await database.close();
      }
      expect(existsSync(lockFileOf(dataDir))).toBe(false);
    },
  );

  it('is free again once the database is closed, and counts opens within one process', () => {
    const dataDir = newDataDir();
    const first = lockDataDir(dataDir);
    const second = lockDataDir(dataDir);
    first.release();
    expect(JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    second.release();
    expect(existsSync(lockFileOf(dataDir))).toBe(false);
    lockDataDir(dataDir).release();
  });

  it('takes over a lock whose process is gone, and refuses one whose process runs', () => {
    const dataDir = newDataDir();
    lockDataDir(dataDir).release();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      lockFileOf(dataDir),
      JSON.stringify({ pid: Number(gone.stdout), host: os.hostname() }),
    );
    lockDataDir(dataDir).release();

    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      writeFileSync(lockFileOf(dataDir), JSON.stringify({ pid: running.pid, host: os.hostname() }));
      expect(() => lockDataDir(dataDir)).toThrow(EmbeddedDatabaseInUse);
      // A lock of another host is an earlier container of the same volume: gone.
      writeFileSync(
        lockFileOf(dataDir),
        JSON.stringify({ pid: running.pid, host: 'old-container' }),
      );
      lockDataDir(dataDir).release();
    } finally {
      running.kill();
    }
  });
});
