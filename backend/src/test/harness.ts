import type { Express } from 'express';
import { pino } from 'pino';
import type { AddressInfo } from 'node:net';
import { buildApp, type AppDeps, type Hintbook } from '../app.js';
import { interruptRunningTurns } from '../modules/chat/turn.service.js';
import { loadConfig, type Config } from '../config/env.js';
import type { Database } from '../db/client.js';
import { applyMigrations, countExpectedMigrations } from '../db/migrate.js';
import { createTestClock } from './clock.js';
import { createMigratedTestDatabase } from './database.js';
import { MIGRATIONS_DIR } from './migrations-dir.js';

export { MIGRATIONS_DIR };
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

export interface TestApp {
  app: Express;
  hintbook: Hintbook;
  /** Starts listening on a free loopback port (for socket tests); returns the base URL. */
  listen(): Promise<string>;
  config: Config;
  database: Database;
  /** The throwaway database's URL on a real server (absent on PGlite), for a second pool. */
  databaseUrl?: string | undefined;
  clock: ReturnType<typeof createTestClock>;
  close(): Promise<void>;
}

/**
 * The real app on a database of its own, migrated. `env` overrides settings the way an operator's
 * `.env` would; bcrypt runs at its minimum cost so suites stay fast.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  /** Reuse another app's database, e.g. to restart with different settings. Not closed here. */
  shared?: { database: Database },
  options: { ai?: AppDeps['ai']; redis?: AppDeps['redis'] } = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BCRYPT_ROUNDS: '4',
    SERVE_STATIC: 'false',
    MIGRATIONS_DIR,
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    ...env,
  });
  const { database, drop, url } = shared
    ? { database: shared.database, drop: async () => {}, url: undefined }
    : await createMigratedTestDatabase();
  // What main.ts does at boot; a no-op here, unless the template is older than `migrations/`.
  await applyMigrations(database, MIGRATIONS_DIR);
  const clock = createTestClock();
  const hintbook = buildApp({
    config,
    database,
    logger: pino({ level: process.env.HINTBOOK_TEST_LOG ?? 'silent' }),
    jwtSecret: TEST_JWT_SECRET,
    migrationsExpected: countExpectedMigrations(MIGRATIONS_DIR),
    clock,
    ...(options.ai ? { ai: options.ai } : {}),
    ...(options.redis ? { redis: options.redis } : {}),
  });
  let listening = false;
  return {
    app: hintbook.app,
    hintbook,
    config,
    database,
    databaseUrl: url,
    clock,
    async listen() {
      if (!listening) {
        await new Promise<void>((resolve) => hintbook.server.listen(0, '127.0.0.1', resolve));
        listening = true;
      }
      const address = hintbook.server.address() as AddressInfo;
      return `http://127.0.0.1:${address.port}`;
    },
    async close() {
      await interruptRunningTurns(hintbook.turns, 2_000);
      hintbook.stopBackgroundWork();
      await hintbook.io.close();
      await drop();
    },
  };
}
