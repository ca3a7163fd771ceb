import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { registerThroughApi } from '../../test/factories.js';
import { findAuditEntries } from '../audit/audit.repository.js';
import {
  OperatorError,
  createAdmin,
  listAdmins,
  promoteAdmin,
  revokeAdmin,
} from './operator-admin.service.js';
import { createPasswordHasher } from '../../lib/password-hasher.js';

const TEACHER = 'teacher@school.example';
let t: TestApp;
const deps = () => ({ db: t.database.db, adminEmails: t.config.auth.adminEmails, clock: t.clock });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  t = await createTestApp({ ADMIN_EMAIL: `${TEACHER}, head@school.example` });
});
afterAll(() => t.close());

describe('becoming admin: the takeover is closed, the operator decides', () => {
  it('a listed address registered by anyone is not admin until the operator promotes it', async () => {
    const registered = await registerThroughApi(t.app, { email: TEACHER, username: 'teacher' });
    expect(registered.body.user.isAdmin).toBe(false);
    await request(t.app).get('/api/admin/users').set(bearer(registered.accessToken)).expect(403);
    expect((await listAdmins(deps())).find((admin) => admin.email === TEACHER)?.state).toBe(
      'unverified',
    );

    await promoteAdmin(deps(), 'Teacher@School.example');

    // The same access token works at once: rights are read from the row on every request.
    await request(t.app).get('/api/admin/users').set(bearer(registered.accessToken)).expect(200);
    const me = await request(t.app).get('/api/auth/me').set(bearer(registered.accessToken));
    expect(me.body.user.isAdmin).toBe(true);
    const [entry] = await findAuditEntries(t.database.db, { action: 'admin.promote', limit: 5 });
    expect(entry).toMatchObject({ actorEmail: 'operator (shell)', actorUserId: null });
  });

  it('refuses to promote an address that is not listed, or one nobody registered', async () => {
    const student = await registerThroughApi(t.app);
    await expect(promoteAdmin(deps(), student.credentials.email)).rejects.toThrow(
      /not in ADMIN_EMAIL/,
    );
    await expect(promoteAdmin(deps(), 'head@school.example')).rejects.toBeInstanceOf(OperatorError);
    await request(t.app).get('/api/admin/users').set(bearer(student.accessToken)).expect(403);
  });

  it('revoke takes admin rights away at once and the account stays', async () => {
    const login = await request(t.app)
      .post('/api/auth/login')
      .send({ email: TEACHER, password: 'correct horse battery staple' })
      .expect(200);
    expect(login.body.user.isAdmin).toBe(true);

    await revokeAdmin(deps(), TEACHER);

    await request(t.app).get('/api/admin/users').set(bearer(login.body.accessToken)).expect(403);
    const again = await request(t.app)
      .post('/api/auth/login')
      .send({ email: TEACHER, password: 'correct horse battery staple' })
      .expect(200);
    expect(again.body.user.isAdmin).toBe(false);
  });

  it('create makes a verified admin account with a one-time password that signs in', async () => {
    const passwords = createPasswordHasher({ rounds: 4, maxConcurrent: 1 });
    const { password } = await createAdmin({ ...deps(), passwords }, 'head@school.example', 'head');
    const login = await request(t.app)
      .post('/api/auth/login')
      .send({ email: 'head@school.example', password })
      .expect(200);
    expect(login.body.user.isAdmin).toBe(true);
    await expect(
      createAdmin({ ...deps(), passwords }, 'head@school.example', 'head2'),
    ).rejects.toThrow(/already has an account/);
    expect(await listAdmins(deps())).toEqual([
      expect.objectContaining({ email: TEACHER, state: 'unverified' }),
      expect.objectContaining({
        email: 'head@school.example',
        state: 'admin',
        verifiedVia: 'operator',
      }),
    ]);
  });
});
