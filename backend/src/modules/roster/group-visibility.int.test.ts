import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { asUser } from '../../test/admin.js';
import { createModuleInDb } from '../learning/learning.test-helpers.js';
import { listNotebookSummaries } from '../learning/module-notebooks.repository.js';

const ADMIN = 'teacher@school.example';
let t: TestApp;
let admin: SignedInUser;
let member: SignedInUser;
let outsider: SignedInUser;
let moduleId: string;
let notebookId: string;

beforeAll(async () => {
  t = await createTestApp({ ADMIN_EMAIL: ADMIN, SEED_STARTER_MODULE: 'false' });
  admin = await registerAdmin(t, { email: ADMIN, username: 'teacher' });
  member = await registerThroughApi(t.app, { email: 'in@school.example' });
  outsider = await registerThroughApi(t.app, { email: 'out@school.example' });
  await asUser(t, admin)
    .post('/api/admin/roster')
    .send({ text: 'in@school.example,,9B\nsomeone@school.example,,9C' })
    .expect(201);
  ({ moduleId } = await createModuleInDb(t.database.db, { notebooks: 1 }));
  notebookId = (await listNotebookSummaries(t.database.db, [moduleId]))[0]!.id;
});
afterAll(() => t.close());

const moduleIdsFor = async (user: SignedInUser) =>
  (await asUser(t, user).get('/api/modules').expect(200)).body.modules.map(
    (module: { id: string }) => module.id,
  );

describe('modules for some groups only', () => {
  it('is for everyone until the admin names groups, then only for their members', async () => {
    expect(await moduleIdsFor(outsider)).toContain(moduleId);
    const groups = (await asUser(t, admin).get('/api/admin/groups').expect(200)).body.groups;
    const nineB = groups.find((group: { name: string }) => group.name === '9B').id;

    const saved = await asUser(t, admin)
      .put(`/api/admin/module-groups/${moduleId}`)
      .send({ groupIds: [nineB, '00000000-0000-4000-8000-000000000000'] })
      .expect(200);
    expect(saved.body).toEqual({ groupIds: [nineB] });

    expect(await moduleIdsFor(member)).toContain(moduleId);
    expect(await moduleIdsFor(outsider)).not.toContain(moduleId);
    await asUser(t, outsider).get(`/api/modules/${moduleId}`).expect(404);
    await asUser(t, outsider)
      .get(`/api/modules/${moduleId}/notebooks/${notebookId}/copy`)
      .expect(404);
    await asUser(t, member)
      .get(`/api/modules/${moduleId}/notebooks/${notebookId}/copy`)
      .expect(200);
    // Admins see every module, whatever its groups.
    expect(await moduleIdsFor(admin)).toContain(moduleId);

    await asUser(t, admin)
      .put(`/api/admin/module-groups/${moduleId}`)
      .send({ groupIds: [] })
      .expect(200);
    expect(await moduleIdsFor(outsider)).toContain(moduleId);
  });

  it('refuses students, malformed bodies and unknown modules', async () => {
    await asUser(t, member).get(`/api/admin/module-groups/${moduleId}`).expect(403);
    await asUser(t, admin)
      .put(`/api/admin/module-groups/${moduleId}`)
      .send({ groupIds: ['nope'] })
      .expect(400);
    await asUser(t, admin)
      .get('/api/admin/module-groups/00000000-0000-4000-8000-000000000000')
      .expect(404);
  });

  it('moves a student to another group, which changes the modules they see', async () => {
    const as = asUser(t, admin);
    const groups = (await as.get('/api/admin/groups').expect(200)).body.groups;
    const idOf = (name: string) => groups.find((group: { name: string }) => group.name === name).id;
    await as
      .put(`/api/admin/module-groups/${moduleId}`)
      .send({ groupIds: [idOf('9B')] })
      .expect(200);
    const memberId = member.body.user.id;
    expect((await as.get(`/api/admin/user-groups/${memberId}`).expect(200)).body).toEqual({
      groupIds: [idOf('9B')],
    });

    // From 9B to 9C: the module for 9B is gone for them.
    const moved = await as
      .put(`/api/admin/user-groups/${memberId}`)
      .send({ groupIds: [idOf('9C'), idOf('9C')] })
      .expect(200);
    expect(moved.body).toEqual({ groupIds: [idOf('9C')] });
    expect(await moduleIdsFor(member)).not.toContain(moduleId);
    const audit = await as.get('/api/admin/audit-log').query({ action: 'user.groups' }).expect(200);
    expect(audit.body.entries[0]).toMatchObject({ action: 'user.groups', targetId: memberId });

    // Into both: it is back.
    await as
      .put(`/api/admin/user-groups/${memberId}`)
      .send({ groupIds: [idOf('9B'), idOf('9C')] })
      .expect(200);
    expect(await moduleIdsFor(member)).toContain(moduleId);
    await as.put(`/api/admin/module-groups/${moduleId}`).send({ groupIds: [] }).expect(200);
  });

  it('refuses students, misspelt bodies and unknown accounts for a person’s groups', async () => {
    await asUser(t, member).get(`/api/admin/user-groups/${member.body.user.id}`).expect(403);
    await asUser(t, member)
      .put(`/api/admin/user-groups/${member.body.user.id}`)
      .send({ groupIds: [] })
      .expect(403);
    const misspelt = await asUser(t, admin)
      .put(`/api/admin/user-groups/${member.body.user.id}`)
      .send({ groups: [] });
    expect(misspelt.status).toBe(400);
    await asUser(t, admin)
      .get('/api/admin/user-groups/00000000-0000-4000-8000-000000000000')
      .expect(404);
    await asUser(t, admin)
      .put('/api/admin/user-groups/00000000-0000-4000-8000-000000000000')
      .send({ groupIds: [] })
      .expect(404);
  });
});
