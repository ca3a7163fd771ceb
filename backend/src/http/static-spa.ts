import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';

/**
 * Headers the browser needs for `crossOriginIsolated` (SharedArrayBuffer for Pyodide). nginx
 * sends the same set in production; this covers the quick start without nginx.
 */
export const crossOriginIsolationHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  next();
};

/**
 * Serves the built SPA when no nginx is in front (`SERVE_STATIC=true`): hashed assets cached
 * forever, index.html revalidated, unknown non-API paths fall back to index.html for the router.
 */
export function staticSpa(staticDir: string): Router {
  const router = Router();
  const indexFile = path.join(staticDir, 'index.html');
  router.use(crossOriginIsolationHeaders);
  router.use(
    express.static(staticDir, {
      index: false,
      setHeaders(res, filePath) {
        const isHashedAsset = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader(
          'Cache-Control',
          isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  router.get(/^(?!\/(api|socket\.io|health|jupyterlite)(\/|$)).*/, (_req, res, next) => {
    if (!existsSync(indexFile)) {
      next();
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(indexFile);
  });
  return router;
}
