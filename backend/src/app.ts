import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Config } from './config/env.js';
import type { Database } from './db/client.js';
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

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  /** The signing secret actually in use (from config, or generated for local runs). */
  jwtSecret: string;
  migrationsExpected: number;
  clock?: Clock;
}

/**
 * Builds the HTTP app from its dependencies and starts nothing: main.ts listens, tests hand it
 * to supertest. Every route hangs off here, so this file is the map of the API.
 */
export function buildApp(deps: AppDeps): Express {
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
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  app.use(requestLogger(deps.logger));
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy } }));
  app.use(livenessRoutes());

  const api = express.Router();
  api.use(express.json({ limit: config.http.jsonBodyLimit }));
  api.use(cookieParser());
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use('/health', readinessRoutes(database, deps.migrationsExpected));
  api.use('/auth/me', accountRoutes(authDeps));
  api.use('/auth', authRoutes(authDeps));
  api.use(apiNotFound);
  app.use('/api', api);

  if (config.http.serveStatic) app.use(staticSpa(config.http.staticDir));
  app.use(errorHandler);
  return app;
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
