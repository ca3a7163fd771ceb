/**
 * A tiny static server for the JupyterLite e2e test: the built site under /jupyterlite/ and a
 * parent page at /, both cross-origin isolated the way nginx serves them in production.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript',
  // Debian's nginx has no .mjs mapping; pyodide.mjs only imports as a module with this type.
  '.mjs': 'application/javascript',
  '.json': 'application/json',
  '.ipynb': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.zip': 'application/zip',
  '.whl': 'application/zip',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

// jupyterlite/tools/hash_pyodide_dir.py's folder name (nginx/templates/http.conf.template).
const HASHED_PYODIDE = /^static\/pyodide-[0-9a-f]{16}\//;

export interface SiteServer {
  origin: string;
  /** Paths answered 404, to show what the app looked for and did not find. */
  notFound: string[];
  /** Paths answered with a file, in order. */
  served: string[];
  requests: number;
  close(): Promise<void>;
}

export async function startSiteServer(distDir: string, parentPage: string): Promise<SiteServer> {
  const notFound: string[] = [];
  const served: string[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/') {
        res.writeHead(200, { ...isolationHeaders, 'Content-Type': contentTypes['.html'] });
        res.end(parentPage);
        return;
      }
      if (!url.pathname.startsWith('/jupyterlite/')) {
        notFound.push(url.pathname);
        res.writeHead(404, isolationHeaders).end();
        return;
      }
      const relative = decodeURIComponent(url.pathname.slice('/jupyterlite/'.length));
      let file = path.resolve(distDir, relative);
      if (!file.startsWith(path.resolve(distDir))) {
        res.writeHead(403, isolationHeaders).end();
        return;
      }
      try {
        let info = await stat(file);
        if (info.isDirectory()) {
          file = path.join(file, 'index.html');
          info = await stat(file);
        }
        res.writeHead(200, {
          ...isolationHeaders,
          // As nginx: the folder named by the hash of its files never changes under its name.
          ...(HASHED_PYODIDE.test(relative)
            ? { 'Cache-Control': 'public, max-age=31536000, immutable' }
            : {}),
          'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
        });
        served.push(url.pathname);
        createReadStream(file).pipe(res);
      } catch {
        notFound.push(url.pathname);
        res.writeHead(404, isolationHeaders).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    notFound,
    served,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
