import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCurrentVersion, type NotebookCopy } from '@hintbook/contracts';
import { notebookCopies } from '../../db/schema/index.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { buildNotebook, createModuleInDb } from './learning.test-helpers.js';
import { listNotebookSummaries } from './module-notebooks.repository.js';
import { updateModuleRow } from './modules.repository.js';

let t: TestApp;
let student: SignedInUser;
let classmate: SignedInUser;
let admin: SignedInUser;
let moduleId: string;
let firstId: string;
let secondId: string;

beforeAll(async () => {
  t = await createTestApp({ ADMIN_EMAIL: 'teacher@school.example', NOTEBOOK_MAX_BYTES: '20kb' });
  student = await registerThroughApi(t.app);
  classmate = await registerThroughApi(t.app);
  admin = await registerAdmin(t, { email: 'teacher@school.example' });
  ({ moduleId } = await createModuleInDb(t.database.db, { position: 1 }));
  [firstId, secondId] = (await listNotebookSummaries(t.database.db, [moduleId])).map(
    (n) => n.id,
  ) as [string, string];
});
afterAll(() => t.close());

const as = (user: SignedInUser) => ({ Authorization: `Bearer ${user.accessToken}` });
const copyUrl = (notebookId: string, module = moduleId) =>
  `/api/modules/${module}/notebooks/${notebookId}/copy`;

async function open(user: SignedInUser, notebookId: string): Promise<NotebookCopy> {
  const response = await request(t.app).get(copyUrl(notebookId)).set(as(user)).expect(200);
  return response.body.copy as NotebookCopy;
}

function save(user: SignedInUser, notebookId: string, text: string, baseVersion: number) {
  return request(t.app)
    .put(copyUrl(notebookId))
    .set(as(user))
    .send({ content: buildNotebook(text), baseVersion });
}

describe('the module list', () => {
  it('lists published modules in order with each notebook not started until opened', async () => {
    await request(t.app).get('/api/modules').expect(401);
    const later = await createModuleInDb(t.database.db, { position: 2, notebooks: 1 });
    const response = await request(t.app).get('/api/modules').set(as(student)).expect(200);
    const ids = response.body.modules.map((m: { id: string }) => m.id);
    expect(ids.indexOf(moduleId)).toBeLessThan(ids.indexOf(later.moduleId));
    const mine = response.body.modules.find((m: { id: string }) => m.id === moduleId);
    expect(
      mine.notebooks.map((n: { title: string; status: string; copyId: null }) => [
        n.title,
        n.status,
        n.copyId,
      ]),
    ).toEqual([
      ['Notebook 1', 'not_started', null],
      ['Notebook 2', 'not_started', null],
    ]);
  });

  it('shows the caller’s own progress, not a classmate’s', async () => {
    const copy = await open(student, secondId);
    await request(t.app)
      .patch(copyUrl(secondId))
      .set(as(student))
      .send({ status: 'completed' })
      .expect(200);
    const mine = await request(t.app).get(`/api/modules/${moduleId}`).set(as(student)).expect(200);
    expect(mine.body.module.notebooks[1]).toMatchObject({ status: 'completed', copyId: copy.id });
    const theirs = await request(t.app)
      .get(`/api/modules/${moduleId}`)
      .set(as(classmate))
      .expect(200);
    expect(theirs.body.module.notebooks[1]).toMatchObject({ status: 'not_started', copyId: null });
  });

  it('hides an unpublished module from students but not from admins', async () => {
    const hidden = await createModuleInDb(t.database.db, { published: false, notebooks: 1 });
    const [hiddenNotebook] = await listNotebookSummaries(t.database.db, [hidden.moduleId]);
    const list = await request(t.app).get('/api/modules').set(as(student)).expect(200);
    expect(list.body.modules.map((m: { id: string }) => m.id)).not.toContain(hidden.moduleId);
    const direct = await request(t.app)
      .get(`/api/modules/${hidden.moduleId}`)
      .set(as(student))
      .expect(404);
    expect(direct.body.error.code).toBe('modules.not_found');
    await request(t.app)
      .get(copyUrl(hiddenNotebook!.id, hidden.moduleId))
      .set(as(student))
      .expect(404);

    const preview = await request(t.app)
      .get(`/api/modules/${hidden.moduleId}`)
      .set(as(admin))
      .expect(200);
    expect(preview.body.module.published).toBe(false);

    await request(t.app)
      .post(`/api/admin/modules/${hidden.moduleId}/publish`)
      .set(as(admin))
      .expect(200);
    await request(t.app).get(`/api/modules/${hidden.moduleId}`).set(as(student)).expect(200);
  });
});

describe('a student’s copy of a module notebook', () => {
  it('is made from the original on first open, with the notebook’s data files', async () => {
    const copy = await open(student, firstId);
    expect(copy).toMatchObject({
      moduleId,
      notebookId: firstId,
      version: 1,
      status: 'not_started',
      sourceVersion: 1,
    });
    expect(copy.originalUpdated).toBe(false);
    expect(copy.content.cells[1]!.source).toBe('print("original 1")');
    expect(
      copy.files.map((f) => [f.path, Buffer.from(f.contentBase64, 'base64').toString()]),
    ).toEqual([
      ['data/first.csv', 'a,b\n1,2\n'],
      ['shared.txt', 'for all'],
    ]);
    const again = await open(student, firstId);
    expect(again.id).toBe(copy.id);
    const second = await open(student, secondId);
    expect(second.files.map((f) => f.path)).toEqual(['shared.txt']);
  });

  it('saves with a version and refuses a stale save from a second tab with 409 and the current version', async () => {
    const user = await registerThroughApi(t.app);
    const tab = await open(user, firstId);
    const first = await save(user, firstId, 'print("tab one")', tab.version).expect(200);
    expect(first.body).toMatchObject({ version: 2, status: 'in_progress' });

    const stale = await save(user, firstId, 'print("tab two")', tab.version).expect(409);
    expect(stale.body.error.code).toBe('notebooks.version_conflict');
    expect(readCurrentVersion(stale.body)).toBe(2);
    // "Keep mine" can ask for the version alone, without the notebook.
    const version = await request(t.app)
      .get(`${copyUrl(firstId)}/version`)
      .set(as(user));
    expect(version.body).toEqual({ version: 2 });
    expect((await open(user, firstId)).content.cells[1]!.source).toBe('print("tab one")');

    await save(user, firstId, 'print("tab two, reloaded")', 2).expect(200);
    const reopened = await open(user, firstId);
    expect(reopened).toMatchObject({ version: 3 });
    expect(reopened.content.cells[1]!.source).toBe('print("tab two, reloaded")');
  });

  it('accepts exactly one of two saves racing from the same version', async () => {
    const user = await registerThroughApi(t.app);
    const { version } = await open(user, secondId);
    const results = await Promise.all([
      save(user, secondId, 'a', version),
      save(user, secondId, 'b', version),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('refuses a save that is not a notebook or too large, and keeps the old content', async () => {
    const user = await registerThroughApi(t.app);
    const { version } = await open(user, firstId);
    const invalid = await request(t.app)
      .put(copyUrl(firstId))
      .set(as(user))
      .send({ content: { cells: 'no' }, baseVersion: version });
    expect(invalid.status).toBe(400);
    const huge = await save(user, firstId, 'x'.repeat(40_000), version);
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('notebooks.too_large');
    expect((await open(user, firstId)).version).toBe(version);
  });

  it('refuses a save once the module is hidden, and keeps the copy as it was', async () => {
    const hideable = await createModuleInDb(t.database.db, { notebooks: 1 });
    const [notebook] = await listNotebookSummaries(t.database.db, [hideable.moduleId]);
    const url = copyUrl(notebook!.id, hideable.moduleId);
    const saveHere = (text: string, baseVersion: number) =>
      request(t.app)
        .put(url)
        .set(as(student))
        .send({ content: buildNotebook(text), baseVersion });
    const opened = (await request(t.app).get(url).set(as(student)).expect(200)).body
      .copy as NotebookCopy;
    await saveHere('print("before")', opened.version).expect(200);

    await updateModuleRow(t.database.db, hideable.moduleId, { published: false }, new Date());
    const refused = await saveHere('print("while hidden")', opened.version + 1).expect(404);
    expect(refused.body.error.code).toBe('notebooks.not_found');

    await updateModuleRow(t.database.db, hideable.moduleId, { published: true }, new Date());
    const after = (await request(t.app).get(url).set(as(student)).expect(200)).body
      .copy as NotebookCopy;
    expect(after.version).toBe(opened.version + 1);
    expect(after.content.cells[1]!.source).toBe('print("before")');
  });

  it('lets the student mark it completed and back in progress', async () => {
    const user = await registerThroughApi(t.app);
    const marked = await request(t.app)
      .patch(copyUrl(secondId))
      .set(as(user))
      .send({ status: 'completed' })
      .expect(200);
    expect(marked.body.status).toBe('completed');
    expect((await open(user, secondId)).status).toBe('completed');
    await request(t.app)
      .patch(copyUrl(secondId))
      .set(as(user))
      .send({ status: 'in_progress' })
      .expect(200);
    expect((await open(user, secondId)).status).toBe('in_progress');
    await request(t.app)
      .patch(copyUrl(secondId))
      .set(as(user))
      .send({ status: 'done' })
      .expect(400);
  });

  it('resets to the original: content back, version continues, an old tab then conflicts', async () => {
    const user = await registerThroughApi(t.app);
    const { version } = await open(user, firstId);
    await save(user, firstId, 'print("my work")', version).expect(200);
    const reset = await request(t.app)
      .post(`${copyUrl(firstId)}/reset`)
      .set(as(user))
      .expect(200);
    expect(reset.body.copy.content.cells[1].source).toBe('print("original 1")');
    expect(reset.body.copy.version).toBe(3);
    await save(user, firstId, 'print("from the old tab")', 2).expect(409);
  });

  it('tells the student when the original changed, and keep or reset clears the notice', async () => {
    const db = t.database.db;
    const { moduleId: changingModule } = await createModuleInDb(db, { notebooks: 1 });
    const [original] = await listNotebookSummaries(db, [changingModule]);
    const url = copyUrl(original!.id, changingModule);
    const keeper = await registerThroughApi(t.app);
    const resetter = await registerThroughApi(t.app);
    for (const user of [keeper, resetter]) await request(t.app).get(url).set(as(user)).expect(200);

    const replaced = await request(t.app)
      .put(`/api/admin/modules/${changingModule}/notebooks/${original!.id}/content`)
      .set(as(admin))
      .send({ content: buildNotebook('print("version two")') })
      .expect(200);
    expect(replaced.body.notebook.version).toBe(2);

    const notified = await request(t.app).get(url).set(as(keeper)).expect(200);
    expect(notified.body.copy).toMatchObject({
      originalUpdated: true,
      sourceVersion: 1,
      originalVersion: 2,
    });
    expect(notified.body.copy.content.cells[1].source).toBe('print("original 1")');

    const kept = await request(t.app).post(`${url}/keep`).set(as(keeper)).expect(200);
    expect(kept.body.copy).toMatchObject({ originalUpdated: false, sourceVersion: 2 });
    expect(kept.body.copy.content.cells[1].source).toBe('print("original 1")');

    const reset = await request(t.app).post(`${url}/reset`).set(as(resetter)).expect(200);
    expect(reset.body.copy).toMatchObject({ originalUpdated: false, sourceVersion: 2 });
    expect(reset.body.copy.content.cells[1].source).toBe('print("version two")');
  });

  it('downloads as an .ipynb attachment', async () => {
    const response = await request(t.app)
      .get(`${copyUrl(firstId)}/download`)
      .set(as(student))
      .expect(200);
    expect(response.headers['content-type']).toContain('application/x-ipynb+json');
    expect(response.headers['content-disposition']).toBe('attachment; filename="Notebook 1.ipynb"');
    expect(JSON.parse(response.text)).toMatchObject({ nbformat: 4 });
  });
});

describe('ids that are not the caller’s to use', () => {
  it('answers 404 for malformed, missing and mismatched ids on every copy route', async () => {
    const other = await createModuleInDb(t.database.db, { notebooks: 1 });
    const [otherNotebook] = await listNotebookSummaries(t.database.db, [other.moduleId]);
    const missing = '00000000-0000-4000-8000-000000000000';
    const urls = [
      copyUrl('not-a-uuid'),
      copyUrl(firstId, 'not-a-uuid'),
      copyUrl(missing),
      copyUrl(firstId, missing),
      copyUrl(otherNotebook!.id), // a real notebook of another module
    ];
    for (const url of urls) {
      for (const [method, path, body] of [
        ['get', url, undefined],
        ['put', url, { content: buildNotebook(), baseVersion: 1 }],
        ['patch', url, { status: 'completed' }],
        ['post', `${url}/reset`, undefined],
        ['post', `${url}/keep`, undefined],
        ['get', `${url}/download`, undefined],
        ['get', `${url}/version`, undefined],
      ] as const) {
        const response = await request(t.app)[method](path).set(as(student)).send(body);
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.body.error.code).toBe('notebooks.not_found');
      }
    }
    await request(t.app).get('/api/modules/not-a-uuid').set(as(student)).expect(404);
    await request(t.app).get(`/api/modules/${missing}`).set(as(student)).expect(404);
  });

  it('never shows or changes a classmate’s copy through the same notebook ids', async () => {
    const { version } = await open(classmate, firstId);
    await save(classmate, firstId, 'print("classmate secret")', version).expect(200);
    const mine = await open(student, firstId);
    expect(JSON.stringify(mine.content)).not.toContain('classmate secret');
    const theirs = await open(classmate, firstId);
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.content.cells[1]!.source).toBe('print("classmate secret")');
  });
});

describe('the student’s data', () => {
  it('includes module copies in the data export and removes them with the account', async () => {
    const user = await registerThroughApi(t.app);
    const { version } = await open(user, firstId);
    await save(user, firstId, 'print("exported work")', version).expect(200);
    const exported = await request(t.app).get('/api/auth/me/export').set(as(user)).expect(200);
    expect(exported.body.notebooks.moduleCopies).toHaveLength(1);
    expect(exported.body.notebooks.moduleCopies[0]).toMatchObject({
      notebook: 'Notebook 1',
      status: 'in_progress',
      version: 2,
    });
    expect(JSON.stringify(exported.body.notebooks.moduleCopies[0].content)).toContain(
      'exported work',
    );

    const copiesOf = () =>
      t.database.db
        .select()
        .from(notebookCopies)
        .where(eq(notebookCopies.userId, user.body.user.id));
    expect(await copiesOf()).toHaveLength(1);
    await request(t.app)
      .delete('/api/auth/me')
      .set(as(user))
      .send({ password: user.credentials.password })
      .expect(204);
    expect(await copiesOf()).toEqual([]);
  });
});
