import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('health', () => {
  it('GET /health answers without touching the database', async () => {
    const response = await request(t.app).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('GET /api/health reports the database reachable with every migration applied', async () => {
    const response = await request(t.app).get('/api/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.database.reachable).toBe(true);
    expect(response.body.database.migrationsApplied).toBe(
      response.body.database.migrationsExpected,
    );
    expect(response.body.database.migrationsExpected).toBeGreaterThan(0);
  });
});

describe('health when the database is gone', () => {
  it('GET /api/health answers 503 and /health still answers 200', async () => {
    const broken = await createTestApp();
    await broken.close();
    const response = await request(broken.app).get('/api/health').expect(503);
    expect(response.body.status).toBe('unavailable');
    expect(response.body.database.reachable).toBe(false);
    await request(broken.app).get('/health').expect(200);
  });
});
