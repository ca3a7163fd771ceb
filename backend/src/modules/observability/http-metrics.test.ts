import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { httpMetrics } from './http-metrics.js';
import type { AppMetrics } from './metrics.js';

/** The labels httpMetrics gives requests, on an app shaped like Hintbook's. */
function appWithLabels() {
  const labels: string[] = [];
  const metrics = { httpRequest: (route: string) => labels.push(route) } as unknown as AppMetrics;
  const app = express();
  app.use(httpMetrics(metrics));
  const api = express.Router();
  api.get('/sessions/:sessionId', (_req, res) => void res.json({}));
  app.use('/api/chat', api);
  // The SPA's fallback, as static-spa.ts mounts it: a regular expression, not a template.
  app.get(
    /^(?!\/(api|socket\.io|health|jupyterlite)(\/|$)).*/,
    (_req, res) => void res.send('<html>'),
  );
  const finished = () => new Promise((resolve) => setImmediate(resolve));
  return { app, labels, finished };
}

describe('HTTP metrics labels', () => {
  it('counts the SPA fallback for a client route as a static file, not as an API route', async () => {
    const { app, labels, finished } = appWithLabels();
    await request(app).get('/admin/usage').expect(200);
    await request(app).get('/api/chat/sessions/5f0c').expect(200);
    await finished();
    // The recording rules leave `static` out of the API's latency; `<pattern>` was counted in it.
    expect(labels).toEqual(['static', '/api/chat/sessions/:sessionId']);
  });
});
