import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { AppError } from '../lib/app-error.js';

export interface RateLimitOptions {
  perMinute: number;
  /** Counter name, so different limits never share a bucket. */
  name: string;
  /** Extra key parts; a school behind one NAT address must not share a single login bucket. */
  keyParts?: (req: Request) => string[];
  /** Shared counters (Redis) when several replicas serve; absent, this process counts. */
  store?: Store | undefined;
}

/**
 * Per-IP (and optionally per-field) limits for the auth endpoints: slows password guessing and
 * registration floods. Behind nginx, `TRUST_PROXY` must be set so the client's address is used.
 */
export function rateLimitPerMinute(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(options.store
      ? {
          store: options.store,
          // Redis down: nginx's per-address limit still stands; sign-ins must not fail with it.
          passOnStoreError: true,
        }
      : {}),
    keyGenerator: (req) =>
      [options.name, ipKeyGenerator(req.ip ?? 'unknown'), ...(options.keyParts?.(req) ?? [])].join(
        '|',
      ),
    handler(_req, _res, next, limitOptions) {
      next(
        new AppError(
          429,
          'request.rate_limited',
          'Too many attempts; wait a minute and try again',
          undefined,
          {
            'Retry-After': String(Math.ceil(limitOptions.windowMs / 1000)),
          },
        ),
      );
    },
  });
}
