import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import {
  buildRegistration,
  readRefreshCookie,
  refreshWith,
  registerThroughApi,
} from '../../test/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ ADMIN_EMAIL: 'teacher@school.example' });
});
afterAll(() => t.close());

describe('registration', () => {
  it('creates the account, returns an access token and sets an httpOnly refresh cookie', async () => {
    const registration = buildRegistration({ email: 'Ada@School.Example', username: 'ada' });
    const response = await request(t.app).post('/api/auth/register').send(registration).expect(201);

    expect(response.body.user).toMatchObject({
      email: 'ada@school.example',
      username: 'ada',
      isAdmin: false,
      programmingLevel: 2,
      mathsLevel: 3,
    });
    expect(response.body.user).not.toHaveProperty('passwordHash');
    expect(typeof response.body.accessToken).toBe('string');
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/hintbook_refresh=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth/);
  });

  it('treats emails case-insensitively and refuses a taken email or username', async () => {
    await registerThroughApi(t.app, { email: 'grace@school.example', username: 'grace' });
    const sameEmail = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'GRACE@school.example' }))
      .expect(409);
    expect(sameEmail.body.error.code).toBe('auth.email_taken');
    const sameName = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ username: 'Grace' }))
      .expect(409);
    expect(sameName.body.error.code).toBe('auth.username_taken');
  });

  it('refuses short, common and email-as-password passwords with field details', async () => {
    const short = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ password: 'short' }))
      .expect(400);
    expect(short.body.error).toMatchObject({ code: 'validation.failed' });
    expect(short.body.error.details).toContainEqual(expect.objectContaining({ path: 'password' }));

    const common = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ password: 'Password123' }))
      .expect(400);
    expect(common.body.error.code).toBe('auth.weak_password');

    const asEmail = await request(t.app)
      .post('/api/auth/register')
      .send(buildRegistration({ email: 'linus@school.example', password: 'linus@school.example' }))
      .expect(400);
    expect(asEmail.body.error.code).toBe('auth.weak_password');
  });
});

describe('login', () => {
  it('answers the same for an unknown email and a wrong password', async () => {
    const { credentials } = await registerThroughApi(t.app);
    const unknown = await request(t.app)
      .post('/api/auth/login')
      .send({ email: 'nobody@school.example', password: 'whatever password' })
      .expect(401);
    const wrong = await request(t.app)
      .post('/api/auth/login')
      .send({ email: credentials.email, password: 'not the password' })
      .expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error.code).toBe('auth.invalid_credentials');
  });

  it('locks the account after 5 failures, even for the right password, and unlocks after the window', async () => {
    const { credentials } = await registerThroughApi(t.app);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await request(t.app)
        .post('/api/auth/login')
        .send({ email: credentials.email, password: 'wrong password!' })
        .expect(401);
    }
    const locked = await request(t.app).post('/api/auth/login').send(credentials).expect(423);
    expect(locked.body.error.code).toBe('auth.account_locked');
    expect(locked.body.error.message).toMatch(/15 minutes/);
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);

    t.clock.advance(14 * 60_000);
    await request(t.app).post('/api/auth/login').send(credentials).expect(423);

    t.clock.advance(61_000);
    const unlocked = await request(t.app).post('/api/auth/login').send(credentials).expect(200);
    expect(unlocked.body.user.email).toBe(credentials.email);

    // The counter starts again from zero after a successful sign-in.
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await request(t.app)
        .post('/api/auth/login')
        .send({ ...credentials, password: 'nope nope nope' })
        .expect(401);
    }
    await request(t.app).post('/api/auth/login').send(credentials).expect(200);
  });
});

describe('refresh tokens', () => {
  it('rotates on every use: the new cookie works, the old one is spent', async () => {
    const { refreshCookie } = await registerThroughApi(t.app);
    const first = await refreshWith(t.app, refreshCookie).expect(200);
    const secondCookie = readRefreshCookie(first.headers['set-cookie']);
    expect(secondCookie).not.toBe(refreshCookie);
    expect(first.body.accessToken).toEqual(expect.any(String));
    await refreshWith(t.app, secondCookie).expect(200);
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const { refreshCookie } = await registerThroughApi(t.app);
    const rotated = await refreshWith(t.app, refreshCookie).expect(200);
    const current = readRefreshCookie(rotated.headers['set-cookie']);

    t.clock.advance(60_000); // past the grace window for simultaneous tabs
    const reuse = await refreshWith(t.app, refreshCookie).expect(401);
    expect(reuse.body.error.code).toBe('auth.refresh_reused');
    const afterTheft = await refreshWith(t.app, current).expect(401);
    expect(afterTheft.body.error.code).toBe('auth.refresh_invalid');
  });

  it('treats a second tab refreshing with the same cookie at once as a race: refused, nothing revoked, cookie kept', async () => {
    const { refreshCookie } = await registerThroughApi(t.app);
    const first = await refreshWith(t.app, refreshCookie).expect(200);
    const raced = await refreshWith(t.app, refreshCookie).expect(401);
    expect(raced.body.error.code).toBe('auth.refresh_invalid');
    expect(raced.headers['set-cookie']).toBeUndefined();
    await refreshWith(t.app, readRefreshCookie(first.headers['set-cookie'])).expect(200);
  });

  it('answers a refresh without any cookie, a signed-out browser, 204 with no session and no error', async () => {
    const response = await request(t.app)
      .post('/api/auth/refresh')
      .set('X-Hintbook-Refresh', '1')
      .expect(204);
    expect(response.text).toBe('');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a refresh without the app header, so a cross-site form cannot spend the cookie', async () => {
    const { refreshCookie } = await registerThroughApi(t.app);
    const response = await request(t.app)
      .post('/api/auth/refresh')
      .set('Cookie', refreshCookie)
      .expect(403);
    expect(response.body.error.code).toBe('auth.refresh_header_missing');
    await refreshWith(t.app, refreshCookie).expect(200);
  });

  it('refuses an expired refresh token', async () => {
    const { refreshCookie } = await registerThroughApi(t.app);
    t.clock.advance(31 * 86_400_000);
    const response = await refreshWith(t.app, refreshCookie).expect(401);
    expect(response.body.error.code).toBe('auth.refresh_invalid');
  });
});

describe('logout', () => {
  it('logout ends this sign-in only', async () => {
    const user = await registerThroughApi(t.app);
    const other = await request(t.app).post('/api/auth/login').send(user.credentials).expect(200);
    const otherCookie = readRefreshCookie(other.headers['set-cookie']);

    await request(t.app).post('/api/auth/logout').set('Cookie', user.refreshCookie).expect(204);
    await refreshWith(t.app, user.refreshCookie).expect(401);
    await refreshWith(t.app, otherCookie).expect(200);
  });

  it('logout-all ends every sign-in and invalidates access tokens already issued', async () => {
    const user = await registerThroughApi(t.app);
    const other = await request(t.app).post('/api/auth/login').send(user.credentials).expect(200);
    const otherCookie = readRefreshCookie(other.headers['set-cookie']);

    await request(t.app)
      .post('/api/auth/logout-all')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .expect(204);
    await refreshWith(t.app, user.refreshCookie).expect(401);
    await refreshWith(t.app, otherCookie).expect(401);
    await request(t.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${other.body.accessToken}`)
      .expect(401);
  });
});

describe('admins from ADMIN_EMAIL', () => {
  it('does not make whoever registers a listed address admin: the address is not verified', async () => {
    const first = await registerThroughApi(t.app, { email: 'Teacher@school.example' });
    expect(first.body.user.isAdmin).toBe(false);
    const login = await request(t.app).post('/api/auth/login').send(first.credentials).expect(200);
    expect(login.body.user.isAdmin).toBe(false);
    await request(t.app)
      .get('/api/admin/users')
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .expect(403);
  });
});
