import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Config } from './config/env.js';
import type { Database } from './db/client.js';
import { staticJupyterLite } from './http/static-jupyterlite.js';
import { staticSpa } from './http/static-spa.js';
import type { Clock } from './lib/clock.js';
import { systemClock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import { apiNotFound, errorHandler } from './middleware/error-handler.js';
import { requestLogger } from './middleware/request-logger.js';
import { accountRoutes } from './modules/account/account.routes.js';
import { createMailer, type Mailer } from './modules/mail/mailer.js';
import { requireVerifiedEmail } from './middleware/require-verified-email.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { invitationLookupRoutes } from './modules/roster/roster.routes.js';
import { createOidcClients } from './modules/oidc/oidc-client.js';
import { oidcRoutes } from './modules/oidc/oidc.routes.js';
import type { AuthDeps } from './modules/auth/auth.types.js';
import { createPasswordHasher } from './lib/password-hasher.js';
import { revokeSignIns } from './modules/auth/auth.service.js';
import { issuePasswordResetLink } from './modules/auth/email-links.service.js';
import { createAccessTokens } from './modules/auth/tokens.js';
import { livenessRoutes, readinessRoutes } from './modules/health/health.routes.js';
import { createActiveTurns } from './modules/chat/active-turns.js';
import { chatRoutes } from './modules/chat/chat.routes.js';
import { createTutor, type TutorDeps } from './modules/chat/tutor.js';
import { recordProviderCall } from './modules/usage/usage.service.js';
import { adminRoutes } from './http/admin.routes.js';
import { createProviderErrorRecorder } from './modules/usage/provider-errors.service.js';
import { createRuntimeSettings, modelsFor } from './modules/settings/runtime-settings.js';
import type { SettingsDeps } from './modules/settings/settings.service.js';
import { DEMO_MODEL } from './ai/registry.js';
import { createCircuitBreakers } from './ai/circuit-breaker.js';
import { createPricingTable } from './ai/pricing.js';
import { createProviderRegistry, type RegistryDeps } from './ai/registry.js';
import {
  ORPHAN_SWEEP_MS,
  STALE_AFTER_MS,
  STREAM_HEARTBEAT_MS,
  type TurnDeps,
  type TurnSpending,
} from './modules/chat/turn.types.js';
import type { CallRecord } from './ai/resilient-stream.js';
import { startOwnerHeartbeat } from './modules/chat/owner-heartbeat.js';
import { startStreamFlusher } from './modules/chat/stream-flusher.js';
import { startRetentionSweeper } from './modules/retention/retention.service.js';
import { myUsageRoutes } from './modules/usage/usage.routes.js';
import { modulesRoutes, personalNotebooksRoutes } from './modules/learning/learning.routes.js';
import { exercisesRoutes, notebookExercisesRoutes } from './modules/exercises/exercises.routes.js';
import { notebookJsonBody } from './modules/learning/notebook-body.js';
import { notebookExercises } from './modules/exercises/notebook-exercises.js';
import { aiHealthRoutes } from './modules/health/ai-health.routes.js';
import { registerChatHandlers } from './realtime/chat.handlers.js';
import { createClusterTurnRelay } from './realtime/cluster-turns.js';
import { createDrainSwitch, type DrainSwitch } from './cluster/drain.js';
import { createRedisRateLimitStores } from './cluster/rate-limit-store.js';
import type { SharedRedis } from './cluster/redis.js';
import { createExclusiveRunner, type RunExclusively } from './cluster/run-once.js';
import { startOrphanSweeper } from './modules/chat/orphan-sweeper.js';
import { createAnswerLeases } from './modules/chat/answer-leases.js';
import { createSessionScopes } from './modules/chat/session-scopes.js';
import {
  createPublishedPolicies,
  invalidateAfterAdminWrites,
} from './modules/exercises/published-policies.js';
import { createRetrievalDeps } from './modules/retrieval/retrieval.factory.js';
import {
  createRetrievalIndexer,
  type RetrievalIndexer,
} from './modules/retrieval/retrieval-indexer.js';
import { createAppMetrics, type AppMetrics } from './modules/observability/metrics.js';
import { httpMetrics } from './modules/observability/http-metrics.js';
import { instrumentTurns } from './modules/observability/turn-metrics.js';
import { attachCollectors } from './modules/observability/collectors.js';
import { createMetricsServer } from './modules/observability/metrics-server.js';
import { processMetrics } from './modules/observability/process-metrics.js';
import { createMetricWindows } from './modules/observability/metric-windows.js';
import { readReplicaWindows, SYSTEM_METRICS } from './modules/observability/system.service.js';
import { shareMetricWindows } from './cluster/shared-metric-windows.js';
import { systemRoutes } from './modules/observability/system.routes.js';
import { authenticate, authenticateOptional, requireAdmin } from './middleware/authenticate.js';
import {
  createRealtimeServer,
  createTurnEmitter,
  userRoom,
  type HintbookServer,
} from './realtime/io.js';

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  /** The signing secret actually in use (from config, or generated for local runs). */
  jwtSecret: string;
  migrationsExpected: number;
  /** Tests swap provider factories (scripted mocks) or shorten retry waits. */
  ai?: Pick<RegistryDeps, 'factories' | 'fetch'> & { sleep?: TutorDeps['sleep'] };
  clock?: Clock;
  /** Tests catch mail on a local SMTP server through SMTP_URL, or swap the mailer. */
  mailer?: Mailer;
  /** Connected by main.ts (or a test) when REDIS_URL is set: several replicas share through it. */
  redis?: SharedRedis | undefined;
}

export interface Hintbook {
  app: Express;
  /** Not listening yet: main.ts listens, socket tests listen on port 0. */
  server: HttpServer;
  io: HintbookServer;
  turns: TurnDeps;
  /** Admin settings over the environment; `reload()` after writing them behind the app's back. */
  settings: ReturnType<typeof createRuntimeSettings>;
  /** Failed provider calls are stored in the background; tests wait for them. */
  providerErrors: ReturnType<typeof createProviderErrorRecorder>;
  /** Course material indexing in the background; main.ts starts a full sync at boot. */
  indexer: RetrievalIndexer;
  /** The nightly deletion of old conversations (CHAT_RETENTION_DAYS); tests sweep now. */
  retention: { sweepNow(): Promise<number> };
  /** The app's Prometheus metrics (the System page reads them too). */
  metrics: AppMetrics;
  /** With Redis: shares this replica's System page figures now (a timer does it every 15 s). */
  shareSystemMetricsNow: () => Promise<void>;
  /** Reads the database-backed metric gauges now (a timer does it every 15–60 s; tests call it). */
  refreshMetricGaugesNow: () => Promise<void>;
  /** `/metrics` on its own port, when METRICS_PORT is set; not listening yet, like `server`. */
  metricsServer: HttpServer | undefined;
  /** Stops timers (the partial-answer flusher, retention) before the database closes. */
  stopBackgroundWork(): void;
  /** Ends answers whose process died (every ORPHAN_SWEEP_MS anyway); tests sweep now. */
  orphans: { sweepNow(): Promise<number> };
  /** Beats this process's liveness (every STREAM_HEARTBEAT_MS anyway); tests beat now. */
  owner: { beatNow(): Promise<void> };
  /** SIGTERM flips it: readiness answers 503 and no new turn starts (cluster/drain.ts). */
  drain: DrainSwitch;
  /** Background work that one replica at a time runs (advisory locks). */
  runExclusively: RunExclusively;
}

/**
 * Builds the HTTP app from its dependencies and starts nothing: main.ts listens, tests hand it
 * to supertest. Every route hangs off here, so this file is the map of the API.
 */
export function buildApp(deps: AppDeps): Hintbook {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  if (config.cluster.redisUrl && !deps.redis)
    throw new Error('REDIS_URL is set: buildApp needs the connected Redis client (main.ts)');
  const authDeps: AuthDeps = {
    db: database.db,
    settings: config.auth,
    clock,
    accessTokens: createAccessTokens({
      secret: deps.jwtSecret,
      ttlSeconds: config.auth.accessTokenTtlSeconds,
      clock,
    }),
    passwords: createPasswordHasher({
      rounds: config.auth.bcryptRounds,
      maxConcurrent: config.auth.bcryptMaxConcurrent,
    }),
    mailer: deps.mailer ?? createMailer({ ...config.mail, logger: deps.logger }),
    mail: config.mail,
    oidc: config.oidc,
    logger: deps.logger.child({ module: 'auth' }),
    rateLimitStores: deps.redis ? createRedisRateLimitStores(deps.redis) : undefined,
  };

  // METRICS_RECORDING=off: no wrapper below is installed and every recorder is a no-op.
  const { isRecording } = config.observability;
  const metrics = createAppMetrics({ isRecording });
  if (isRecording) database.observeQueries(metrics.dbQuery);
  const windows = isRecording
    ? createMetricWindows({ registry: metrics.registry, metricNames: SYSTEM_METRICS })
    : undefined;
  const processStartedAt = clock();
  // With Redis, the System page sums every live replica's histograms (each shares its own).
  const sharedWindows =
    deps.redis && windows
      ? shareMetricWindows({
          redis: deps.redis,
          replicaId: randomUUID(),
          read: () => readReplicaWindows(windows, processStartedAt),
          logger: deps.logger.child({ module: 'metrics' }),
        })
      : undefined;
  const app = express();
  const server = createServer(app);
  const io = createRealtimeServer(server, {
    db: database.db,
    accessTokens: authDeps.accessTokens,
    clock,
    logger: deps.logger,
    maxConnectionsPerUser: config.chat.socketMaxConnectionsPerUser,
    emailVerification: config.mail.verification,
    redis: deps.redis,
  });
  const ai = buildAi(deps, clock, metrics);
  const retrieval = createRetrievalDeps({
    db: database.db,
    clock,
    logger: deps.logger,
    pricing: ai.pricing,
    embeddings: config.embeddings,
    observeCall: (call) =>
      metrics.embeddingCall(
        call,
        ai.pricing.costOf(call.model, { inputTokens: call.inputTokens, outputTokens: 0 }).costUsd,
      ),
  });
  const indexer = createRetrievalIndexer(retrieval);
  const turnParts = { activeTurns: createActiveTurns(), emitter: createTurnEmitter(io) };
  const observed = isRecording
    ? instrumentTurns(metrics, turnParts.activeTurns, turnParts.emitter)
    : turnParts;
  const activeTurns = observed.activeTurns;
  const drain = createDrainSwitch();
  const runExclusively = createExclusiveRunner(database);
  const leases = createAnswerLeases(clock, STALE_AFTER_MS);
  const publishedPolicies = createPublishedPolicies({ db: database.db, logger: deps.logger });
  const turns: TurnDeps = {
    db: database.db,
    clock,
    // Live: each read sees the admin's current settings, so changes apply on the next turn.
    limits: ai.runtime.limits,
    tutor: ai.tutor,
    activeTurns,
    emitter: observed.emitter,
    logger: deps.logger.child({ module: 'chat' }),
    privacy: { redactionKinds: config.privacy.redactionKinds },
    retrieval: { deps: retrieval, settings: config.retrieval },
    spending: ai.spending(config.retrieval.tokenBudget),
    relay: deps.redis ? createClusterTurnRelay(io, activeTurns) : undefined,
    leases,
    policies: publishedPolicies,
    sessionScopes: createSessionScopes(),
  };
  registerChatHandlers(io, turns, { isDraining: drain.isDraining });
  const flusher = startStreamFlusher({ ...turns, leases, intervalMs: STREAM_HEARTBEAT_MS });
  const owner = startOwnerHeartbeat({
    ...turns,
    db: database.livenessDb,
    leases,
    intervalMs: STREAM_HEARTBEAT_MS,
  });
  const orphans = startOrphanSweeper({ ...turns, leases, intervalMs: ORPHAN_SWEEP_MS });
  const retention = startRetentionSweeper({
    db: database.db,
    clock,
    logger: deps.logger.child({ module: 'retention' }),
    retentionDays: config.privacy.chatRetentionDays,
    runExclusively,
  });
  // Signed in, and (with EMAIL_VERIFICATION=everyone) with a confirmed address.
  const signedIn = [
    authenticate(database.db, authDeps.accessTokens),
    requireVerifiedEmail(config.mail.verification),
  ];
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  if (isRecording) app.use(httpMetrics(metrics));
  app.use(requestLogger(deps.logger));
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy } }));
  app.use(livenessRoutes());

  const api = express.Router();
  // Notebook saves and uploads get their own, larger body limit; the API-wide one stays small.
  api.use(
    ['/modules', '/notebooks', '/admin/modules'],
    notebookJsonBody(config.notebooks.maxBytes),
  );
  api.use(express.json({ limit: config.http.jsonBodyLimit }));
  api.use(cookieParser());
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(
    '/health/ai',
    authenticateOptional(database.db, authDeps.accessTokens),
    aiHealthRoutes({
      currentChain: ai.currentChain,
      breakers: ai.breakers,
      quota: { db: database.db, limits: ai.runtime.limits, clock },
    }),
  );
  api.use('/health', readinessRoutes(database, deps.migrationsExpected, drain));
  api.use('/auth/me', accountRoutes(authDeps));
  api.use(
    '/auth/oidc',
    oidcRoutes({
      ...authDeps,
      clients: createOidcClients(config.oidc),
      stateSecret: deps.jwtSecret,
    }),
  );
  api.use('/auth/invitation', invitationLookupRoutes({ db: database.db, clock }));
  api.use('/auth', authRoutes(authDeps));
  api.use('/chat', signedIn, chatRoutes({ db: database.db, clock }));
  // Learning stores and lists notebooks whose exercises belong to exercises, which reads
  // learning: exercises' side is handed in here (learning.types.ts, NotebookExercises).
  const learningDeps = {
    db: database.db,
    clock,
    limits: config.notebooks,
    indexer,
    exercises: notebookExercises,
  };
  const exerciseDeps = {
    db: database.db,
    clock,
    checkTimeLimitMs: config.notebooks.checkTimeLimitMs,
    onCheckRecorded: metrics.checkRecorded,
  };
  api.use('/modules', signedIn, notebookExercisesRoutes(exerciseDeps), modulesRoutes(learningDeps));
  api.use('/exercises', signedIn, exercisesRoutes(exerciseDeps));
  api.use('/notebooks', signedIn, personalNotebooksRoutes(learningDeps));
  api.use(
    '/me',
    signedIn,
    myUsageRoutes({
      db: database.db,
      limits: ai.runtime.limits,
      clock,
      isTutorConfigured: () => ai.tutor.isConfigured(),
    }),
  );
  api.use(
    '/admin/system',
    signedIn,
    requireAdmin,
    systemRoutes({ windows, processStartedAt, clock, peers: sharedWindows?.peers }),
  );
  api.use(
    '/admin',
    signedIn,
    // Module publishing and AI policies change here; turns keep a copy of the policies.
    invalidateAfterAdminWrites(publishedPolicies),
    adminRoutes({
      db: database.db,
      clock,
      logger: deps.logger.child({ module: 'admin' }),
      limits: ai.runtime.limits,
      canReadTranscripts: config.admin.canReadTranscripts,
      notebooks: config.notebooks,
      mail: config.mail,
      mailer: authDeps.mailer,
      disconnectUser: (userId) => io.in(userRoom(userId)).disconnectSockets(true),
      // Users cannot import auth (auth reads users): its sign-in side is handed in here.
      signIns: {
        revokeAll: revokeSignIns,
        issueResetLink: (user) => issuePasswordResetLink(authDeps, user),
      },
      settings: ai.settingsDeps,
      privacy: config.privacy,
      indexer,
      exercises: notebookExercises,
      embedder: retrieval.embedder,
    }),
  );
  api.use(apiNotFound);
  app.use('/api', api);

  if (config.http.serveStatic) {
    app.use('/jupyterlite', staticJupyterLite(config.http.jupyterliteDir));
    app.use(staticSpa(config.http.staticDir));
  }
  app.use(errorHandler);
  const { metricsPort, metricsToken } = config.observability;
  // Without METRICS_PORT nobody scrapes: no background database reads for gauges no one reads.
  const collectors =
    isRecording && metricsPort !== undefined
      ? attachCollectors(metrics, {
          database,
          clock,
          logger: deps.logger.child({ module: 'metrics' }),
          limits: () => ai.runtime.limits,
          chain: () => ai.currentChain().map((target) => target.provider.name),
          breakers: ai.breakers,
          connectedSockets: () => io.of('/').sockets.size,
        })
      : undefined;
  return {
    app,
    server,
    io,
    turns,
    settings: ai.runtime,
    providerErrors: ai.providerErrors,
    indexer,
    retention: { sweepNow: retention.sweepNow },
    metrics,
    shareSystemMetricsNow: async () => sharedWindows?.publishNow(),
    refreshMetricGaugesNow: async () => collectors?.refreshNow(),
    metricsServer:
      metricsPort === undefined
        ? undefined
        : createMetricsServer({
            registries: [metrics.registry, processMetrics()],
            token: metricsToken,
            logger: deps.logger.child({ module: 'metrics' }),
          }),
    stopBackgroundWork: () => {
      flusher.stop();
      owner.stop();
      windows?.stop();
      sharedWindows?.stop();
      collectors?.stop();
      orphans.stop();
      retention.stop();
      indexer.stop();
      io.slots.stop();
    },
    orphans: { sweepNow: orphans.sweepNow },
    owner: { beatNow: owner.beatNow },
    drain,
    runExclusively,
  };
}

/** Providers, circuit breakers, prices and the tutor over them, with usage stored per call. */
function buildAi(deps: AppDeps, clock: Clock, metrics: AppMetrics) {
  const { config, database } = deps;
  const registry = createProviderRegistry(config.ai, deps.ai ?? {});
  const breakers = createCircuitBreakers(config.ai.circuitBreaker, clock);
  const sideBreakers = createCircuitBreakers(config.ai.circuitBreaker, clock);
  const pricing = createPricingTable(config.ai.pricingOverrides);
  const logger = deps.logger.child({ module: 'ai' });
  const runtime = createRuntimeSettings({ db: database.db, config, logger });
  // Read overrides now, so the first turns after a restart already use them.
  void runtime.reload().catch((error: unknown) => {
    logger.warn({ err: error }, 'could not read settings; using the environment');
  });
  const providerErrors = createProviderErrorRecorder({ db: database.db, clock, logger });
  const currentChain = () => {
    const { settings } = runtime.current();
    return settings.chain.flatMap((name) => {
      const provider = registry.get(name);
      return provider ? [{ provider, ...modelsFor(settings, name, DEMO_MODEL) }] : [];
    });
  };
  const usage = { db: database.db, pricing, logger, clock };
  // Usage rows are written in the background; a reservation is settled only after them.
  const pendingUsage = new Set<Promise<boolean>>();
  const storeUsage = (owner: Parameters<typeof recordProviderCall>[1], call: CallRecord) => {
    metrics.providerCall(call, pricing.costOf(call.model, call.usage ?? NO_USAGE).costUsd);
    const write = recordProviderCall(usage, owner, call);
    pendingUsage.add(write);
    void write.finally(() => pendingUsage.delete(write));
  };
  const spending = (retrievalTokens: number): TurnSpending => ({
    estimate: () => {
      const limits = runtime.limits;
      // Input: history, course passages, our prompt and the notebook; side calls: the
      // classification and a summary fold, each about a history's worth plus their answers.
      const input = 2 * limits.historyTokens + retrievalTokens + 4_000;
      const output = config.ai.maxOutputTokens + 1_000;
      const model = currentChain()[0]?.model ?? '';
      return {
        tokens: input + output,
        costUsd: pricing.costOf(model, { inputTokens: input, outputTokens: output }).costUsd,
      };
    },
    costOf: (tokens) => pricing.costOf(currentChain()[0]?.model ?? '', tokens).costUsd,
    flushUsage: async () => {
      // Every write pending now, not only this turn's: a lost row keeps this turn's hold too,
      // which errs towards less room (the hold expires on its own).
      const stored = await Promise.all([...pendingUsage]);
      return stored.every(Boolean);
    },
  });
  const tutor = createTutor({
    registry,
    breakers,
    sideBreakers,
    pricing,
    settings: config.ai,
    logger,
    recordCall: (owner, call) => {
      storeUsage(owner, call);
      providerErrors.record(owner, call);
    },
    onAnswerFailed: (owner) => providerErrors.markSeen(owner),
    // The chain in effect is resolved per turn from the admin's settings.
    currentChain,
    ...(deps.ai?.sleep ? { sleep: deps.ai.sleep } : {}),
  });
  const settingsDeps: SettingsDeps = {
    db: database.db,
    clock,
    runtime,
    registry,
    breakers,
    recordCall: async (owner, call) => {
      metrics.providerCall(call, pricing.costOf(call.model, call.usage ?? NO_USAGE).costUsd);
      await recordProviderCall(usage, owner, call);
    },
  };
  return {
    registry,
    breakers,
    pricing,
    tutor,
    runtime,
    settingsDeps,
    providerErrors,
    currentChain,
    spending,
  };
}

const NO_USAGE = { inputTokens: 0, outputTokens: 0 };

/**
 * Same policy nginx sends in production. No inline scripts anywhere; wasm compilation is
 * allowed for Pyodide; blob workers for JupyterLite.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  frameSrc: ["'self'"],
  frameAncestors: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  // Helmet adds this by default; on a plain-http classroom LAN it would break every request.
  upgradeInsecureRequests: null,
};
