import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.js';

export interface MetricsServerOptions {
  /** The app's registry and the process's (CPU, memory, event loop). */
  registries: Registry[];
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string | undefined;
  logger: Logger;
}

/**
 * `GET /metrics` on its own listener (METRICS_PORT), never on the public port: nginx proxies
 * only the app's port, and compose publishes none of the metrics port. Not listening yet:
 * main.ts listens, tests listen on port 0.
 */
export function createMetricsServer(options: MetricsServerOptions): Server {
  const expected = options.token ? digest(options.token) : undefined;
  return createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (expected && !isAuthorised(req.headers.authorization, expected)) {
      res
        .writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' })
        .end('A bearer token is required (METRICS_TOKEN)\n');
      return;
    }
    const [first] = options.registries;
    renderMetrics(options.registries)
      .then((text) => {
        res.writeHead(200, { 'Content-Type': first?.contentType ?? 'text/plain' });
        res.end(text);
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'metrics scrape failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Scrape failed\n');
      });
  });
}

/**
 * The registries in Prometheus's text format, as `registry.metrics()` writes them, but one
 * metric at a time with the event loop free between two: serialising a registry at once holds
 * the loop for milliseconds (a histogram by route is thousands of lines), and a turn's event
 * arriving meanwhile would wait that long. Now it waits for one metric at most.
 */
export async function renderMetrics(registries: Registry[]): Promise<string> {
  const texts: string[] = [];
  for (const registry of registries) {
    const parts: string[] = [];
    for (const { name } of registry.getMetricsAsArray()) {
      parts.push(await registry.getSingleMetricAsString(name));
      await new Promise((resolve) => setImmediate(resolve));
    }
    texts.push(`${parts.join('\n\n')}\n`);
  }
  return texts.join('\n');
}

/** Compared as digests so the comparison takes the same time whatever the length sent. */
function isAuthorised(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match ? timingSafeEqual(digest(match[1]!), expected) : false;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
