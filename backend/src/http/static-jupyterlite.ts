import path from 'node:path';
import express, { Router } from 'express';
import { crossOriginIsolationHeaders } from './static-spa.js';

/**
 * The JupyterLite app needs eval (its JSON-schema validators) and WebAssembly, and notebooks
 * render inline styles; it may only be framed by our own pages. The same policy nginx sends.
 */
const JUPYTERLITE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

// Content-hashed bundles never change under their name, nor does anything in the Pyodide folder
// named by the hash of its files (jupyterlite/tools/hash_pyodide_dir.py); everything else (HTML,
// config, the service worker, other wheels) keeps its name across builds and is revalidated.
const HASHED = /\/(build|extensions\/.+\/static)\/(.+\/)?[^/]*[.-][0-9a-f]{7,}\.[a-z0-9]+$/;
const HASHED_PYODIDE = /^\/static\/pyodide-[0-9a-f]{16}\//;

/**
 * Serves the built JupyterLite site under /jupyterlite/ when no nginx is in front, with the
 * same isolation headers, CSP and cache rules as nginx (shared/notes/jupyterlite.md).
 */
export function staticJupyterLite(siteDir: string): Router {
  const router = Router();
  router.use(crossOriginIsolationHeaders);
  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', JUPYTERLITE_CSP);
    next();
  });
  router.use(
    express.static(siteDir, {
      index: ['index.html'],
      redirect: true,
      setHeaders(res, filePath) {
        const relative = `/${path.relative(siteDir, filePath).split(path.sep).join('/')}`;
        res.setHeader(
          'Cache-Control',
          HASHED.test(relative) || HASHED_PYODIDE.test(relative)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    }),
  );
  return router;
}
