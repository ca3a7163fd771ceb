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
import { authRoutes } from './modules/auth/auth.routes.js';
import type { AuthDeps } from './modules/auth/auth.types.js';
import { createPasswordHasher } from './modules/auth/passwords.js';
import { createAccessTokens } from './modules/auth/tokens.js';
import { livenessRoutes, readinessRoutes } from './modules/health/health.routes.js';
import { createActiveTurns } from './modules/chat/active-turns.js';
import { chatRoutes } from './modules/chat/chat.routes.js';
import { createTutor, type TutorDeps } from './modules/chat/tutor.js';
import { recordProviderCall } from './modules/usage/usage.service.js';
import { createCircuitBreakers } from './ai/circuit-breaker.js';
import { createPricingTable } from './ai/pricing.js';
import { createProviderRegistry, type RegistryDeps } from './ai/registry.js';
import { STREAM_HEARTBEAT_MS, type TurnDeps } from './modules/chat/turn.types.js';
import { startStreamFlusher } from './modules/chat/stream-flusher.js';
import { myUsageRoutes } from './modules/usage/usage.routes.js';
import { modulesRoutes, personalNotebooksRoutes } from './modules/learning/learning.routes.js';
import { notebookJsonBody } from './modules/learning/notebook-body.js';
import { authenticate, authenticateOptional } from './middleware/authenticate.js';
import { aiHealthRoutes } from './modules/health/ai-health.routes.js';
import { registerChatHandlers } from './realtime/chat.handlers.js';
import { createRealtimeServer, createTurnEmitter, type HintbookServer } from './realtime/io.js';

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
}

export interface Hintbook {
  app: Express;
  /** Not listening yet: main.ts listens, socket tests listen on port 0. */
  server: HttpServer;
  io: HintbookServer;
  turns: TurnDeps;
  /** Stops timers (the partial-answer flusher) before the database closes. */
  stopBackgroundWork(): void;
}

/**
 * Builds the HTTP app from its dependencies and starts nothing: main.ts listens, tests hand it
 * to supertest. Every route hangs off here, so this file is the map of the API.
 */
export function buildApp(deps: AppDeps): Hintbook {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
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
  };

  const app = express();
  const server = createServer(app);
  const io = createRealtimeServer(server, {
    db: database.db,
    accessTokens: authDeps.accessTokens,
    clock,
    logger: deps.logger,
    maxConnectionsPerUser: config.chat.socketMaxConnectionsPerUser,
  });
  const ai = buildAi(deps, clock);
  const turns: TurnDeps = {
    db: database.db,
    clock,
    limits: config.chat,
    tutor: ai.tutor,
    activeTurns: createActiveTurns(),
    emitter: createTurnEmitter(io),
    logger: deps.logger.child({ module: 'chat' }),
  };
  registerChatHandlers(io, turns);
  const flusher = startStreamFlusher({ ...turns, intervalMs: STREAM_HEARTBEAT_MS });
  const signedIn = authenticate(database.db, authDeps.accessTokens);
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  app.use(requestLogger(deps.logger));
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy } }));
  app.use(livenessRoutes());

  const api = express.Router();
  // Notebook saves and uploads get their own, larger body limit; the API-wide one stays small.
  api.use(['/modules', '/notebooks'], notebookJsonBody(config.notebooks.maxBytes));
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
      registry: ai.registry,
      breakers: ai.breakers,
      quota: { db: database.db, limits: config.chat, clock },
    }),
  );
  api.use('/health', readinessRoutes(database, deps.migrationsExpected));
  api.use('/auth/me', accountRoutes(authDeps));
  api.use('/auth', authRoutes(authDeps));
  api.use('/chat', signedIn, chatRoutes({ db: database.db, clock }));
  const learningDeps = { db: database.db, clock, limits: config.notebooks };
  api.use('/modules', signedIn, modulesRoutes(learningDeps));
  api.use('/notebooks', signedIn, personalNotebooksRoutes(learningDeps));
  api.use(
    '/me',
    signedIn,
    myUsageRoutes({
      db: database.db,
      limits: config.chat,
      clock,
      isTutorConfigured: () => ai.tutor.isConfigured(),
    }),
  );
  api.use(apiNotFound);
  app.use('/api', api);

  if (config.http.serveStatic) {
    app.use('/jupyterlite', staticJupyterLite(config.http.jupyterliteDir));
    app.use(staticSpa(config.http.staticDir));
  }
  app.use(errorHandler);
  return { app, server, io, turns, stopBackgroundWork: flusher.stop };
}

/** Providers, circuit breakers, prices and the tutor over them, with usage stored per call. */
function buildAi(deps: AppDeps, clock: Clock) {
  const { config, database } = deps;
  const registry = createProviderRegistry(config.ai, deps.ai ?? {});
  const breakers = createCircuitBreakers(config.ai.circuitBreaker, clock);
  const pricing = createPricingTable(config.ai.pricingOverrides);
  const logger = deps.logger.child({ module: 'ai' });
  const tutor = createTutor({
    registry,
    breakers,
    pricing,
    settings: config.ai,
    logger,
    recordCall: (owner, call) => {
      void recordProviderCall({ db: database.db, pricing, logger, clock }, owner, call);
    },
    ...(deps.ai?.sleep ? { sleep: deps.ai.sleep } : {}),
  });
  return { registry, breakers, pricing, tutor };
}

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
