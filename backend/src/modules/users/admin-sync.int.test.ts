import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { registerAdmin, registerThroughApi } from '../../test/factories.js';
import { findUserByEmail, markEmailVerified, syncAdminFlags } from './users.repository.js';

// Two "boots" of Hintbook over one database, with different ADMIN_EMAIL lists.
let before: TestApp;
let after: TestApp;
beforeAll(async () => {
  before = await createTestApp({ ADMIN_EMAIL: 'old-admin@school.example' });
  after = await createTestApp(
    { ADMIN_EMAIL: 'new-admin@school.example; other@school.example' },
    before,
  );
});
afterAll(() => before.close());

describe('admin rights follow ADMIN_EMAIL and verified addresses', () => {
  it('demotes and promotes at boot to match the list exactly, verified accounts only', async () => {
    await registerAdmin(before, { email: 'old-admin@school.example' });
    const newAdmin = await registerThroughApi(before.app, { email: 'new-admin@school.example' });
    const db = before.database.db;
    await markEmailVerified(db, newAdmin.body.user.id, 'email', before.clock());
    expect((await findUserByEmail(db, 'old-admin@school.example'))?.isAdmin).toBe(true);
    expect((await findUserByEmail(db, 'new-admin@school.example'))?.isAdmin).toBe(false);

    const changed = await syncAdminFlags(db, after.config.auth.adminEmails);

    expect(changed).toBe(2);
    expect((await findUserByEmail(db, 'old-admin@school.example'))?.isAdmin).toBe(false);
    expect((await findUserByEmail(db, 'new-admin@school.example'))?.isAdmin).toBe(true);
    expect(await syncAdminFlags(db, after.config.auth.adminEmails)).toBe(0);
  });

  it('never promotes a listed account whose address is not verified, at boot or at login', async () => {
    const squatter = await registerThroughApi(before.app, { email: 'other@school.example' });

    expect(await syncAdminFlags(before.database.db, after.config.auth.adminEmails)).toBe(0);
    const login = await request(after.app).post('/api/auth/login').send(squatter.credentials);
    expect(login.status).toBe(200);
    expect(login.body.user.isAdmin).toBe(false);
  });

  it('demotes at login too, and the API reflects it at once', async () => {
    // Admin on the first boot (first test); the second boot no longer lists it.
    expect(
      (await findUserByEmail(before.database.db, 'old-admin@school.example'))?.emailVerifiedAt,
    ).not.toBeNull();
    const login = await request(after.app)
      .post('/api/auth/login')
      .send({ email: 'old-admin@school.example', password: 'correct horse battery staple' })
      .expect(200);
    expect(login.body.user.isAdmin).toBe(false);
    const me = await request(after.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .expect(200);
    expect(me.body.user.isAdmin).toBe(false);
  });
});
