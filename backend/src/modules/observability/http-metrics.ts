import type { NextFunction, Request, Response } from 'express';
import type { AppMetrics } from './metrics.js';

/** Methods outside this set are counted as OTHER: a client cannot invent label values. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Times every request and labels it with its route template (`/api/chat/sessions/:sessionId`),
 * never the raw path. Express sets `req.route` when a route matches, but `req.baseUrl` is
 * unwound again when an error leaves the router, so the template is captured at match time.
 * Requests no route matched are `static` (SPA files) or `unmatched` (404s, probes).
 */
export function httpMetrics(metrics: AppMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let template: string | undefined;
    let route: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        const path = typeof value?.path === 'string' ? value.path : '<pattern>';
        template = `${req.baseUrl}${path === '/' && req.baseUrl ? '' : path}`;
      },
    });
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      metrics.httpRequest(template ?? unmatched(req, res), method, res.statusCode, seconds);
    });
    next();
  };
}

function unmatched(req: Request, res: Response): string {
  if (res.statusCode === 404 || req.originalUrl.startsWith('/api/')) return 'unmatched';
  return 'static';
}
