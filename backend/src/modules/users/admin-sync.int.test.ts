import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { registerThroughApi } from '../../test/factories.js';
import { findUserByEmail, syncAdminFlags } from './users.repository.js';

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

describe('admin rights follow ADMIN_EMAIL', () => {
  it('demotes and promotes at boot to match the list exactly', async () => {
    await registerThroughApi(before.app, { email: 'old-admin@school.example' });
    await registerThroughApi(before.app, { email: 'new-admin@school.example' });
    const db = before.database.db;
    expect((await findUserByEmail(db, 'old-admin@school.example'))?.isAdmin).toBe(true);
    expect((await findUserByEmail(db, 'new-admin@school.example'))?.isAdmin).toBe(false);

    const changed = await syncAdminFlags(db, after.config.auth.adminEmails);

    expect(changed).toBe(2);
    expect((await findUserByEmail(db, 'old-admin@school.example'))?.isAdmin).toBe(false);
    expect((await findUserByEmail(db, 'new-admin@school.example'))?.isAdmin).toBe(true);
    expect(await syncAdminFlags(db, after.config.auth.adminEmails)).toBe(0);
  });

  it('demotes and promotes at login too, and the API reflects it at once', async () => {
    const demoted = await registerThroughApi(before.app, { email: 'Other-Teacher@school.example' });
    const promoted = await registerThroughApi(before.app, { email: 'other@school.example' });
    await syncAdminFlags(before.database.db, ['other-teacher@school.example']);

    const demotedLogin = await request(after.app)
      .post('/api/auth/login')
      .send(demoted.credentials)
      .expect(200);
    expect(demotedLogin.body.user.isAdmin).toBe(false);
    const promotedLogin = await request(after.app)
      .post('/api/auth/login')
      .send(promoted.credentials)
      .expect(200);
    expect(promotedLogin.body.user.isAdmin).toBe(true);

    const me = await request(after.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${demotedLogin.body.accessToken}`)
      .expect(200);
    expect(me.body.user.isAdmin).toBe(false);
  });
});
