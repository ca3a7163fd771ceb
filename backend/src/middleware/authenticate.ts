import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/client.js';
import { forbidden, unauthenticated } from '../lib/app-error.js';
import { resolveAuth, type AuthContext } from '../modules/auth/resolve-auth.js';
import type { AccessTokens } from '../modules/auth/tokens.js';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}

/** Reads `Authorization: Bearer <jwt>`; the SPA keeps that token in memory only. */
export function readBearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export function authenticate(db: Db, accessTokens: AccessTokens): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.auth = await resolveAuth(db, accessTokens, readBearerToken(req.headers.authorization));
    next();
  };
}

/** For routes mounted after `authenticate`: the signed-in user, or a 401 if wiring is wrong. */
export function requireAuth(req: Request): AuthContext {
  if (!req.auth) throw unauthenticated();
  return req.auth;
}

/** Admin-only routes; admins are exactly the accounts in ADMIN_EMAIL. */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!requireAuth(req).user.isAdmin) throw forbidden('Only admins can do this');
  next();
};

/** Like `authenticate`, but anonymous callers pass through with no `req.auth`. */
export function authenticateOptional(db: Db, accessTokens: AccessTokens): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = readBearerToken(req.headers.authorization);
    if (token) {
      try {
        req.auth = await resolveAuth(db, accessTokens, token);
      } catch {
        // An invalid token on a public endpoint is treated as anonymous, not as an error.
      }
    }
    next();
  };
}
