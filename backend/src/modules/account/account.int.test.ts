import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { readRefreshCookie, refreshWith, registerThroughApi } from '../../test/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('profile', () => {
  it('updates username and levels and reads them back', async () => {
    const user = await registerThroughApi(t.app);
    const response = await request(t.app)
      .patch('/api/auth/me')
      .set(bearer(user.accessToken))
      .send({ username: 'new_name', programmingLevel: 4, mathsLevel: 1 })
      .expect(200);
    expect(response.body.user).toMatchObject({
      username: 'new_name',
      programmingLevel: 4,
      mathsLevel: 1,
    });
    const me = await request(t.app).get('/api/auth/me').set(bearer(user.accessToken)).expect(200);
    expect(me.body.user.username).toBe('new_name');
  });

  it('refuses a username someone else has, whatever its case, and unknown fields', async () => {
    await registerThroughApi(t.app, { username: 'taken_name' });
    const user = await registerThroughApi(t.app);
    const taken = await request(t.app)
      .patch('/api/auth/me')
      .set(bearer(user.accessToken))
      .send({ username: 'TAKEN_name' })
      .expect(409);
    expect(taken.body.error.code).toBe('auth.username_taken');
    const sneaky = await request(t.app)
      .patch('/api/auth/me')
      .set(bearer(user.accessToken))
      .send({ isAdmin: true });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error.code).toBe('validation.failed');
  });

  it('refuses levels outside 1-5', async () => {
    const user = await registerThroughApi(t.app);
    await request(t.app)
      .patch('/api/auth/me')
      .set(bearer(user.accessToken))
      .send({ mathsLevel: 0 })
      .expect(400);
    await request(t.app)
      .patch('/api/auth/me')
      .set(bearer(user.accessToken))
      .send({ mathsLevel: 2.5 })
      .expect(400);
  });
});

describe('password change', () => {
  it('needs the current password', async () => {
    const user = await registerThroughApi(t.app);
    const response = await request(t.app)
      .put('/api/auth/me/password')
      .set(bearer(user.accessToken))
      .send({ currentPassword: 'not it at all', newPassword: 'a brand new passphrase' })
      .expect(400);
    expect(response.body.error.code).toBe('auth.wrong_password');
    expect(response.body.error.details[0].path).toBe('currentPassword');
  });

  it('ends other sign-ins, keeps this one with a fresh access token, and the new password works', async () => {
    const user = await registerThroughApi(t.app);
    const other = await request(t.app).post('/api/auth/login').send(user.credentials).expect(200);
    const otherCookie = readRefreshCookie(other.headers['set-cookie']);

    const changed = await request(t.app)
      .put('/api/auth/me/password')
      .set(bearer(user.accessToken))
      .send({ currentPassword: user.credentials.password, newPassword: 'a brand new passphrase' })
      .expect(200);

    await request(t.app).get('/api/auth/me').set(bearer(user.accessToken)).expect(401);
    await request(t.app).get('/api/auth/me').set(bearer(changed.body.accessToken)).expect(200);
    await refreshWith(t.app, otherCookie).expect(401);
    await refreshWith(t.app, user.refreshCookie).expect(200);
    await request(t.app).post('/api/auth/login').send(user.credentials).expect(401);
    await request(t.app)
      .post('/api/auth/login')
      .send({ email: user.credentials.email, password: 'a brand new passphrase' })
      .expect(200);
  });
});

describe('your data', () => {
  it('exports everything held about the caller as one JSON download without secrets', async () => {
    const user = await registerThroughApi(t.app);
    const response = await request(t.app)
      .get('/api/auth/me/export')
      .set(bearer(user.accessToken))
      .expect(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="?hintbook-export-\d{4}-\d{2}-\d{2}\.json/,
    );
    expect(response.body).toMatchObject({
      format: 'hintbook-export',
      account: { email: user.credentials.email },
    });
    expect(response.body.signIns).toHaveLength(1);
    const text = JSON.stringify(response.body);
    expect(text).not.toMatch(/passwordHash|password_hash|tokenHash|\$2[aby]\$/);
  });

  it('deletes the account only with the password, and then nothing of it remains', async () => {
    const user = await registerThroughApi(t.app);
    const refused = await request(t.app)
      .delete('/api/auth/me')
      .set(bearer(user.accessToken))
      .send({ password: 'wrong password' })
      .expect(400);
    expect(refused.body.error.code).toBe('auth.wrong_password');

    await request(t.app)
      .delete('/api/auth/me')
      .set(bearer(user.accessToken))
      .send({ password: user.credentials.password })
      .expect(204);
    await request(t.app).get('/api/auth/me').set(bearer(user.accessToken)).expect(401);
    await refreshWith(t.app, user.refreshCookie).expect(401);
    await request(t.app).post('/api/auth/login').send(user.credentials).expect(401);
  });
});
