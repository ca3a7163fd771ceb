import { zipSync, strToU8 } from 'fflate';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankNotebook } from '../learning/notebook-content.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { ADMIN_EMAIL, asUser } from '../../test/admin.js';

const notebook = (source: string) => ({
  ...blankNotebook(),
  cells: [{ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }],
});
const zipOf = (files: Record<string, string>) =>
  Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));

describe('admin: content', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let student: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAIL, SEED_STARTER_MODULE: 'false' });
    admin = await registerAdmin(t, { email: ADMIN_EMAIL, username: 'teacher' });
    student = await registerThroughApi(t.app);
  });
  afterAll(() => t.close());

  const studentModules = async () =>
    (
      await request(t.app)
        .get('/api/modules')
        .set('Authorization', `Bearer ${student.accessToken}`)
        .expect(200)
    ).body.modules as Array<{ id: string }>;

  it('creates, edits, publishes, reorders and deletes modules and notebooks, all audited', async () => {
    const as = asUser(t, admin);
    const a = (
      await as.post('/api/admin/modules').send({ slug: 'loops', title: 'Loops' }).expect(201)
    ).body.module;
    const b = (
      await as.post('/api/admin/modules').send({ slug: 'lists', title: 'Lists' }).expect(201)
    ).body.module;
    const taken = await as.post('/api/admin/modules').send({ slug: 'loops', title: 'Again' });
    expect(taken.body.error.code).toBe('admin.module_slug_taken');
    await as.patch(`/api/admin/modules/${a.id}`).send({ title: 'For loops' }).expect(200);
    // A misspelt field is refused, not ignored as if it were saved.
    const misspelt = await as.patch(`/api/admin/modules/${a.id}`).send({ titel: 'Loops!' });
    expect(misspelt.status).toBe(400);
    expect(JSON.stringify(misspelt.body.error.details)).toContain('titel');
    expect(await studentModules()).toEqual([]);
    await as.post(`/api/admin/modules/${a.id}/publish`).expect(200);
    expect((await studentModules()).map((m) => m.id)).toEqual([a.id]);

    const order = await as
      .put('/api/admin/modules/order')
      .send({ moduleIds: [b.id, a.id] })
      .expect(200);
    expect(order.body.modules.map((m: { id: string }) => m.id)).toEqual([b.id, a.id]);
    await as
      .put('/api/admin/modules/order')
      .send({ moduleIds: [a.id] })
      .expect(400);

    const first = (
      await as
        .post(`/api/admin/modules/${a.id}/notebooks`)
        .send({ title: 'First steps', content: JSON.stringify(notebook('print(1)')) })
        .expect(201)
    ).body.notebook;
    expect(first).toMatchObject({ slug: 'first-steps', version: 1 });
    const second = (
      await as
        .post(`/api/admin/modules/${a.id}/notebooks`)
        .send({ title: 'Résumé basics', content: notebook('print(2)') })
        .expect(201)
    ).body.notebook;
    // The same slug the admin panel suggests for that title (the shared slugify folds accents).
    expect(second.slug).toBe('resume-basics');
    const broken = await as
      .post(`/api/admin/modules/${a.id}/notebooks`)
      .send({ title: 'Broken', content: { cells: 'nope' } });
    expect(broken.body.error.code).toBe('notebooks.not_nbformat');
    const reordered = await as
      .put(`/api/admin/modules/${a.id}/notebooks/order`)
      .send({ notebookIds: [second.id, first.id] })
      .expect(200);
    expect(reordered.body.module.notebooks.map((n: { id: string }) => n.id)).toEqual([
      second.id,
      first.id,
    ]);

    await as
      .post(`/api/admin/modules/${a.id}/files`)
      .send({
        path: 'data/scores.csv',
        mime: 'text/csv',
        contentBase64: Buffer.from('a,b\n1,2\n').toString('base64'),
      })
      .expect(201);
    const bad = await as
      .post(`/api/admin/modules/${a.id}/files`)
      .send({ path: '../etc/passwd', contentBase64: 'AA==' });
    expect(bad.status).toBe(400);
    const preview = await as
      .get(`/api/admin/modules/${a.id}/notebooks/${first.id}/preview`)
      .expect(200);
    expect(preview.body.notebook.content.cells[0].source).toBe('print(1)');
    expect(preview.body.files).toEqual([
      expect.objectContaining({ path: 'data/scores.csv', mime: 'text/csv' }),
    ]);

    await as.delete(`/api/admin/modules/${a.id}/notebooks/${second.id}`).expect(204);
    await as.delete(`/api/admin/modules/${b.id}`).expect(204);
    const audit = await as.get('/api/admin/audit-log?targetType=module&limit=100').expect(200);
    expect(new Set(audit.body.entries.map((e: { action: string }) => e.action))).toEqual(
      new Set([
        'module.create',
        'module.update',
        'module.publish',
        'module.reorder',
        'notebook.reorder',
        'module.delete',
      ]),
    );
  });

  it("tells an admin that a deleted module's id names no module, not that it is unpublished", async () => {
    const as = asUser(t, admin);
    const gone = (
      await as.post('/api/admin/modules').send({ slug: 'gone', title: 'Gone' }).expect(201)
    ).body.module;
    await as.delete(`/api/admin/modules/${gone.id}`).expect(204);
    for (const path of ['', '/exercises', '/progress']) {
      const missing = await as.get(`/api/admin/modules/${gone.id}${path}`).expect(404);
      expect(missing.body.error, path).toMatchObject({
        code: 'modules.not_found',
        message: 'No module has this id; it may have been deleted',
      });
    }
    // Students keep the wording that does not tell them an unpublished module exists.
    const asStudent = await request(t.app)
      .get(`/api/modules/${gone.id}`)
      .set('Authorization', `Bearer ${student.accessToken}`)
      .expect(404);
    expect(asStudent.body.error.message).toBe('This module does not exist or is not published');
  });

  it('refuses a misspelt field on every admin write, names it, and saves nothing', async () => {
    const as = asUser(t, admin);
    const refused = async (call: ReturnType<typeof as.post>, path: string): Promise<void> => {
      const response = await call;
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation.failed');
      expect(response.body.error.details).toContainEqual({
        path,
        message: expect.stringContaining(`"${path.split('.').pop()}" is not a field here`),
      });
    };
    // A create with a default would otherwise save the default: an empty description here.
    await refused(
      as.post('/api/admin/modules').send({ slug: 'typos', title: 'Typos', descripton: 'Lists' }),
      'descripton',
    );
    const { modules } = (await as.get('/api/admin/modules').expect(200)).body;
    expect(modules.map((m: { slug: string }) => m.slug)).not.toContain('typos');

    const target = (
      await as.post('/api/admin/modules').send({ slug: 'strict', title: 'Strict' }).expect(201)
    ).body.module;
    const base = `/api/admin/modules/${target.id}`;
    const content = JSON.stringify(notebook('print(1)'));
    await refused(
      as.post(`${base}/notebooks`).send({ title: 'One', content, titel: 'One' }),
      'titel',
    );
    await refused(
      as.post(`${base}/files`).send({ path: 'a.csv', contentBase64: 'YQ==', notebook: 'x' }),
      'notebook',
    );
    await refused(as.put('/api/admin/modules/order').send({ moduleIds: [], ids: [] }), 'ids');
    // The module's AI policy: `maxHintLvl` would have saved level 3, the default.
    await refused(
      as.put(`${base}/ai-policy`).send({ mode: 'hints_only', maxHintLvl: 1 }),
      'maxHintLvl',
    );
    await refused(
      as.put(`${base}/ai-policy`).send({
        mode: 'on',
        windows: [
          {
            start: '2026-06-01T09:00',
            end: '2026-06-01T11:00',
            timeZone: 'UTC',
            mode: 'off',
            maxHintLevl: 1,
          },
        ],
      }),
      'windows.0.maxHintLevl',
    );
    const policy = (await as.get(`${base}/exercises`).expect(200)).body.policy;
    expect(policy).toEqual({ mode: 'on', maxHintLevel: 3, windows: [] });
    await refused(
      as.put(`/api/admin/users/${student.body.user.id}/allowance`).send({
        dailyTokens: 1000,
        weeklyTokens: null,
        monthlyTokens: 5,
      }),
      'monthlyTokens',
    );
    await refused(
      as.post('/api/admin/roster').send({ text: 'ada@example.org', sendEmail: true }),
      'sendEmail',
    );
    await refused(
      as.put(`/api/admin/module-groups/${target.id}`).send({ groupIds: [], groups: [] }),
      'groups',
    );
    expect((await as.get(`${base}`).expect(200)).body.module.notebooks).toEqual([]);
  });

  it('replacing a notebook tells students with an older copy that a new version exists', async () => {
    const as = asUser(t, admin);
    const mod = (
      await as.post('/api/admin/modules').send({ slug: 'funcs', title: 'Functions' }).expect(201)
    ).body.module;
    await as.post(`/api/admin/modules/${mod.id}/publish`).expect(200);
    const nb = (
      await as
        .post(`/api/admin/modules/${mod.id}/notebooks`)
        .send({ title: 'Defs', content: notebook('def f(): pass') })
        .expect(201)
    ).body.notebook;
    const copyPath = `/api/modules/${mod.id}/notebooks/${nb.id}/copy`;
    const auth = `Bearer ${student.accessToken}`;
    const before = await request(t.app).get(copyPath).set('Authorization', auth).expect(200);
    expect(before.body.copy.originalUpdated).toBe(false);
    const replaced = await as
      .put(`/api/admin/modules/${mod.id}/notebooks/${nb.id}/content`)
      .send({ content: notebook('def f(x): return x') })
      .expect(200);
    expect(replaced.body.notebook.version).toBe(2);
    const after = await request(t.app).get(copyPath).set('Authorization', auth).expect(200);
    expect(after.body.copy.originalUpdated).toBe(true);
  });

  it('imports a zip idempotently: the same paths again update instead of duplicating', async () => {
    const as = asUser(t, admin);
    const zip = zipOf({
      'course/module.json': JSON.stringify({ slug: 'pandas', title: 'Pandas' }),
      'course/intro.ipynb': JSON.stringify(notebook('import pandas')),
      'course/week1/frames.ipynb': JSON.stringify(notebook('df = 1')),
      'course/data/scores.csv': 'a,b\n1,2\n',
    });
    const send = (body: Buffer) =>
      as.post('/api/admin/modules/import').set('Content-Type', 'application/zip').send(body);
    const first = await send(zip).expect(200);
    expect(first.body).toMatchObject({ isNewModule: true, notebooksCreated: 2, filesWritten: 1 });
    expect(first.body.module.notebooks.map((n: { slug: string }) => n.slug)).toEqual([
      'intro',
      'week1-frames',
    ]);

    const again = await send(zip).expect(200);
    expect(again.body).toMatchObject({
      isNewModule: false,
      notebooksCreated: 0,
      notebooksUpdated: 0,
      notebooksUnchanged: 2,
    });
    const changed = zipOf({
      'course/module.json': JSON.stringify({ slug: 'pandas', title: 'Pandas' }),
      'course/intro.ipynb': JSON.stringify(notebook('import pandas as pd')),
      'course/week1/frames.ipynb': JSON.stringify(notebook('df = 1')),
    });
    const third = await send(changed).expect(200);
    expect(third.body).toMatchObject({
      notebooksCreated: 0,
      notebooksUpdated: 1,
      notebooksUnchanged: 1,
    });
    expect(third.body.module.notebooks).toHaveLength(2);
    expect(third.body.module.files).toHaveLength(1);
    expect(
      third.body.module.notebooks.find((n: { slug: string }) => n.slug === 'intro').version,
    ).toBe(2);
  });

  it('imports all or nothing: one broken notebook leaves nothing half-imported', async () => {
    const as = asUser(t, admin);
    const zip = zipOf({
      'good.ipynb': JSON.stringify(notebook('ok')),
      'broken.ipynb': '{"cells": ',
      'data/x.csv': '1',
    });
    const res = await as
      .post('/api/admin/modules/import?slug=half&title=Half')
      .set('Content-Type', 'application/zip')
      .send(zip);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('admin.import_invalid');
    expect(res.body.error.details).toEqual([{ path: 'broken.ipynb', message: 'is not JSON' }]);
    const modules = await as.get('/api/admin/modules').expect(200);
    expect(modules.body.modules.map((m: { slug: string }) => m.slug)).not.toContain('half');

    // An existing module is not touched either.
    const before = await as.get('/api/admin/modules').expect(200);
    const pandas = before.body.modules.find((m: { slug: string }) => m.slug === 'pandas');
    await as
      .post('/api/admin/modules/import?slug=pandas')
      .set('Content-Type', 'application/zip')
      .send(zipOf({ 'intro.ipynb': JSON.stringify(notebook('changed')), 'new.ipynb': '{}' }))
      .expect(400);
    const after = await as.get(`/api/admin/modules/${pandas.id}`).expect(200);
    expect(after.body.module.notebooks).toEqual(pandas.notebooks);
    await as
      .post('/api/admin/modules/import?slug=x')
      .set('Content-Type', 'application/zip')
      .send(Buffer.from('not a zip'))
      .expect(400);
  });
});
