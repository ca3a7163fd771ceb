// First: with OTEL_EXPORTER_OTLP_ENDPOINT set, tracing must start before express and pg load.
import './modules/observability/tracing-preload.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.js';
import {
  ConfigError,
  configWarnings,
  loadConfig,
  loadDotEnvFile,
  type Config,
} from './config/env.js';
import { openDatabaseOrExit } from './db/open-or-exit.js';
import { applyMigrations, countExpectedMigrations } from './db/migrate.js';
import { createLogger, type Logger } from './lib/logger.js';
import { findUnverifiedEmails, syncAdminFlags } from './modules/users/users.repository.js';
import { interruptStaleAnswers } from './modules/chat/messages.repository.js';
import { STALE_AFTER_MS } from './modules/chat/turn.types.js';
import { interruptRunningTurns } from './modules/chat/turn.service.js';
import { seedStarterModuleAtBoot } from './modules/learning/starter-module.js';
import { tracingHooks } from './modules/observability/tracing-hooks.js';
import { drainReplica } from './cluster/drain.js';
import { closeRedis, connectRedis, redactedUrl } from './cluster/redis.js';
import { notebookExercises } from './modules/exercises/notebook-exercises.js';

/** After the drain: interrupting leftovers, closing sockets and the database. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The only file that starts things: config, database, migrations, HTTP, graceful shutdown. */
async function main(): Promise<void> {
  loadDotEnvFile();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(
        `Hintbook cannot start.\n${error.message}\nSee .env.example for every setting.`,
      );
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  for (const warning of configWarnings(config)) logger.warn(warning);

  const database = openDatabaseOrExit(
    {
      url: config.database.url,
      dataDir: config.database.dataDir,
      poolMax: config.database.poolMax,
      logger,
    },
    'Hintbook cannot start.',
  );
  await applyMigrations(database, config.database.migrationsDir);
  const changedAdmins = await syncAdminFlags(database.db, config.auth.adminEmails);
  logger.info({ driver: database.driver, changedAdmins }, 'database ready');
  for (const email of await findUnverifiedEmails(database.db, config.auth.adminEmails)) {
    logger.warn(
      { email },
      'ADMIN_EMAIL lists this account but its address is not verified, so it is not admin. ' +
        "If it is your admin's, run `npm run admin -- promote EMAIL` (Docker: scripts/admin.sh promote EMAIL).",
    );
  }
  if (config.notebooks.seedStarterModule) {
    await seedStarterModuleAtBoot(
      { db: database.db, clock: () => new Date(), logger, exercises: notebookExercises },
      config.notebooks.starterModuleDir,
    );
  }

  const redisUrl = config.cluster.redisUrl;
  const redis = redisUrl
    ? { client: await connectRedis(redisUrl, logger), keyPrefix: config.cluster.redisKeyPrefix }
    : undefined;
  if (redisUrl)
    logger.info({ redis: redactedUrl(redisUrl) }, 'sharing sockets and limits through Redis');

  const { server, io, turns, indexer, metricsServer, stopBackgroundWork, drain, runExclusively } =
    buildApp({
      config,
      database,
      logger,
      redis,
      jwtSecret: resolveJwtSecret(config, logger),
      migrationsExpected: countExpectedMigrations(config.database.migrationsDir),
    });
  const now = new Date();
  const interrupted = await interruptStaleAnswers(
    database.db,
    now,
    new Date(now.getTime() - STALE_AFTER_MS),
  );
  if (interrupted > 0)
    logger.warn({ interrupted }, 'answers cut off by the last shutdown marked interrupted');
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, host: config.host }, `Hintbook is listening on http://localhost:${port}`);
  });
  const { metricsPort, metricsHost } = config.observability;
  metricsServer?.listen(metricsPort, metricsHost, () =>
    logger.info({ port: metricsPort, host: metricsHost }, 'metrics on /metrics'),
  );
  // Catches up on content written while retrieval was off or the vendor down (and the seed):
  // in the background, so the server answers at once; unchanged chunks cost a hash compare.
  // One replica at a time: the others skip it (their own changes are indexed as they happen).
  void runExclusively('retrieval-sync', () => {
    indexer.everythingChanged();
    return indexer.idle();
  }).catch((error: unknown) => logger.warn({ err: error }, 'could not sync course material'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const drainMs = config.cluster.drainTimeoutMs;
    const force = setTimeout(() => process.exit(1), drainMs + SHUTDOWN_GRACE_MS).unref();
    try {
      // Readiness fails, new turns go elsewhere, running answers get `drainMs` to finish.
      const left = await drainReplica({
        drain,
        server,
        io,
        activeTurns: turns.activeTurns,
        logger,
        timeoutMs: drainMs,
        hasPeers: Boolean(redis),
      });
      // Answers still in flight are kept as interrupted (retryable), their students told.
      if (left > 0) logger.warn({ left }, 'drain timed out: interrupting the answers left');
      await interruptRunningTurns(turns, SHUTDOWN_GRACE_MS / 2);
      stopBackgroundWork();
      await io.close(); // also closes the HTTP server
      metricsServer?.close();
      if (redis) await closeRedis(redis.client);
      await database.close();
      await tracingHooks.shutdown();
    } catch (error) {
      logger.error({ err: error }, 'unclean shutdown');
    }
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * Production must set JWT_SECRET_KEY (config refuses to boot otherwise). For local runs a random
 * secret is generated once and kept beside the embedded database, so sign-ins survive restarts.
 */
function resolveJwtSecret(config: Config, logger: Logger): string {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const file = path.join(config.database.dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.database.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  logger.warn({ file }, 'JWT_SECRET_KEY not set: generated one for local use');
  return secret;
}

main().catch((error: unknown) => {
  console.error('Hintbook failed to start:', error);
  process.exit(1);
});
