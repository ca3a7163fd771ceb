import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from '../test/harness.js';
import { registerThroughApi, type SignedInUser } from '../test/factories.js';

let t: TestApp;
let user: SignedInUser;
beforeAll(async () => {
  t = await createTestApp();
  user = await registerThroughApi(t.app);
});
afterAll(() => t.close());

const me = (token: string) =>
  request(t.app).get('/api/auth/me').set('Authorization', `Bearer ${token}`);

function payloadOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

describe('access tokens', () => {
  it('accepts the token the API issued', async () => {
    const response = await me(user.accessToken).expect(200);
    expect(response.body.user.id).toBe(user.body.user.id);
  });

  it('answers 401 without a token', async () => {
    const response = await request(t.app).get('/api/auth/me').expect(401);
    expect(response.body.error.code).toBe('auth.unauthenticated');
  });

  it('rejects a token whose payload was tampered with', async () => {
    const [header, , signature] = user.accessToken.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...payloadOf(user.accessToken), sub: crypto.randomUUID() }),
    ).toString('base64url');
    const response = await me(`${header}.${forged}.${signature}`).expect(401);
    expect(response.body.error.code).toBe('auth.unauthenticated');
  });

  it('rejects an alg:none token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(payloadOf(user.accessToken))).toString('base64url');
    await me(`${header}.${payload}.`).expect(401);
  });

  it('rejects a token signed with another secret or another algorithm', async () => {
    const claims = payloadOf(user.accessToken);
    await me(jwt.sign(claims, 'some-other-secret-of-enough-length-123456')).expect(401);
    await me(jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS512' })).expect(401);
  });

  it('says the token expired after the access TTL, so the SPA knows to refresh', async () => {
    t.clock.advance(16 * 60_000);
    const response = await me(user.accessToken).expect(401);
    expect(response.body.error.code).toBe('auth.token_expired');
  });
});
