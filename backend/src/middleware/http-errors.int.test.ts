import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness.js';
import { registerAdmin, registerThroughApi } from '../test/factories.js';
import { authenticate, requireAdmin } from './authenticate.js';
import { errorHandler } from './error-handler.js';
import { createAccessTokens } from '../modules/auth/tokens.js';
import { TEST_JWT_SECRET } from '../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ JSON_BODY_LIMIT: '2kb', ADMIN_EMAIL: 'teacher@school.example' });
});
afterAll(() => t.close());

function expectJsonError(response: request.Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/application\/json/);
  expect(response.body.error.code).toBe(code);
  expect(typeof response.body.error.message).toBe('string');
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts|node_modules|select |SyntaxError/);
}

describe('errors are JSON with a stable code', () => {
  it('400 for malformed JSON', async () => {
    const response = await request(t.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.example", ');
    expectJsonError(response, 400, 'request.malformed_json');
  });

  it('400 with per-field details for wrong types', async () => {
    const response = await request(t.app)
      .post('/api/auth/register')
      .send({ email: 42, username: ['x'], password: true, programmingLevel: 'high' });
    expectJsonError(response, 400, 'validation.failed');
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(
      expect.arrayContaining(['email', 'username', 'password', 'programmingLevel']),
    );
  });

  it('413 for a body over the limit', async () => {
    const response = await request(t.app)
      .post('/api/auth/login')
      .send({ email: 'a@b.example', password: 'x'.repeat(5000) });
    expectJsonError(response, 413, 'request.too_large');
  });

  it('404 for an unknown API route, never the SPA page', async () => {
    expectJsonError(await request(t.app).get('/api/nope'), 404, 'request.not_found');
    expectJsonError(await request(t.app).post('/api/auth/nope').send({}), 404, 'request.not_found');
  });

  it('401 for a missing or garbage bearer token', async () => {
    expectJsonError(await request(t.app).get('/api/auth/me'), 401, 'auth.unauthenticated');
    expectJsonError(
      await request(t.app).get('/api/auth/me').set('Authorization', 'Bearer not-a-jwt'),
      401,
      'auth.unauthenticated',
    );
  });

  it('403 for a student on an admin-only route, 200 for an admin', async () => {
    const tokens = createAccessTokens({ secret: TEST_JWT_SECRET, ttlSeconds: 900, clock: t.clock });
    const adminOnly = express()
      .get('/admin-only', authenticate(t.database.db, tokens), requireAdmin, (_req, res) => {
        res.json({ ok: true });
      })
      .use(errorHandler);
    const student = await registerThroughApi(t.app);
    const teacher = await registerAdmin(t, { email: 'teacher@school.example' });

    const denied = await request(adminOnly)
      .get('/admin-only')
      .set('Authorization', `Bearer ${student.accessToken}`);
    expectJsonError(denied, 403, 'auth.forbidden');
    await request(adminOnly)
      .get('/admin-only')
      .set('Authorization', `Bearer ${teacher.accessToken}`)
      .expect(200);
  });
});

describe('every response', () => {
  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const echoed = await request(t.app).get('/health').set('X-Request-Id', 'nginx-abc-123');
    expect(echoed.headers['x-request-id']).toBe('nginx-abc-123');
    const generated = await request(t.app).get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries security headers', async () => {
    const response = await request(t.app).get('/api/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
