import type { NextFunction, Request, Response } from 'express';
import type { AppMetrics } from './metrics.js';

/** Methods outside this set are counted as OTHER: a client cannot invent label values. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Times every request and labels it with its route template (`/api/chat/sessions/:sessionId`),
 * never the raw path. Express sets `req.route` when a route matches, but `req.baseUrl` is
 * unwound again when an error leaves the router, so both are captured as Express sets them.
 * A request refused before any route matched (401 from a router's middleware) is labelled with
 * the deepest router it entered (`/api/admin/system/*`); the rest are `static` (SPA files and
 * the SPA's fallback for client routes) or `unmatched` (404s, probes).
 */
export function httpMetrics(metrics: AppMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let template: string | undefined;
    let route: unknown;
    let baseUrl = req.baseUrl;
    let deepestRouter: string | undefined;
    Object.defineProperty(req, 'baseUrl', {
      configurable: true,
      enumerable: true,
      get: () => baseUrl,
      set(value: string | undefined) {
        baseUrl = value as string;
        if (typeof value === 'string' && value.length > (deepestRouter?.length ?? 0))
          deepestRouter = value;
      },
    });
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (typeof value?.path !== 'string') {
          // A route matched by a regular expression: outside /api that is the SPA's fallback
          // (index.html for every client route), a file like the others.
          template = req.originalUrl.startsWith('/api/') ? `${req.baseUrl}/<pattern>` : 'static';
          return;
        }
        const path = value.path;
        template = `${req.baseUrl}${path === '/' && req.baseUrl ? '' : path}`;
      },
    });
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const label = template ?? unmatched(req, res, deepestRouter);
      metrics.httpRequest(label, method, res.statusCode, seconds);
    });
    next();
  };
}

/** Mount paths are literals; anything else (a parameter's value) must not become a label. */
const LITERAL_PATH = /^(\/[a-z-]+)+$/;

function unmatched(req: Request, res: Response, deepestRouter: string | undefined): string {
  if (res.statusCode === 404) return 'unmatched';
  if (deepestRouter && LITERAL_PATH.test(deepestRouter)) return `${deepestRouter}/*`;
  return req.originalUrl.startsWith('/api/') ? 'unmatched' : 'static';
}
