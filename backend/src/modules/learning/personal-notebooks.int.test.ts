import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCurrentVersion } from '@hintbook/contracts';
import { personalNotebooks } from '../../db/schema/index.js';
import { registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { buildNotebook } from './learning.test-helpers.js';

let t: TestApp;
let owner: SignedInUser;
let stranger: SignedInUser;

beforeAll(async () => {
  t = await createTestApp({ NOTEBOOK_MAX_BYTES: '20kb', PERSONAL_NOTEBOOKS_MAX: '3' });
  owner = await registerThroughApi(t.app);
  stranger = await registerThroughApi(t.app);
});
afterAll(() => t.close());

const as = (user: SignedInUser) => ({ Authorization: `Bearer ${user.accessToken}` });

function upload(user: SignedInUser, content: string | undefined, filename = 'Homework 1.ipynb') {
  return request(t.app).post('/api/notebooks').set(as(user)).send({ filename, content });
}

async function uploadNotebook(user: SignedInUser, text = 'print(1)') {
  const response = await upload(user, JSON.stringify(buildNotebook(text))).expect(201);
  return response.body.notebook as { id: string; version: number; title: string };
}

describe('uploading an .ipynb', () => {
  it('stores a valid notebook titled after the file, tolerating extra metadata', async () => {
    const user = await registerThroughApi(t.app);
    const notebook = {
      ...buildNotebook('print("mine")'),
      metadata: { widgets: { state: {} }, custom: 1 },
    };
    const response = await upload(
      user,
      JSON.stringify(notebook),
      'C:\\Users\\me\\Loops homework.ipynb',
    ).expect(201);
    expect(response.body.notebook).toMatchObject({ title: 'Loops homework', version: 1 });
    expect(response.body.notebook.content.metadata.custom).toBe(1);
    expect(response.body.notebook.sizeBytes).toBeGreaterThan(100);
  });

  it('refuses a file that is not JSON, not nbformat 4, or too big, each with its own code', async () => {
    const user = await registerThroughApi(t.app);
    const notJson = await upload(user, 'name,score\nAda,90\n').expect(400);
    expect(notJson.body.error.code).toBe('notebooks.not_json');

    for (const wrong of [
      { hello: 'world' },
      { nbformat: 3, nbformat_minor: 0, worksheets: [] },
      [1, 2, 3],
    ]) {
      const response = await upload(user, JSON.stringify(wrong)).expect(400);
      expect(response.body.error.code).toBe('notebooks.not_nbformat');
    }
    const badCell = { ...buildNotebook(), cells: [{ cell_type: 'picture', source: '' }] };
    const cell = await upload(user, JSON.stringify(badCell)).expect(400);
    expect(cell.body.error.details[0].path).toMatch(/^cells\.0/);

    const tooBig = await upload(user, JSON.stringify(buildNotebook('x'.repeat(30_000)))).expect(
      413,
    );
    expect(tooBig.body.error.code).toBe('notebooks.too_large');
    // Far past even the body limit: the same clear answer, not a generic one.
    const wayTooBig = await upload(user, JSON.stringify(buildNotebook('x'.repeat(200_000)))).expect(
      413,
    );
    expect(wayTooBig.body.error.code).toBe('notebooks.too_large');

    const list = await request(t.app).get('/api/notebooks').set(as(user)).expect(200);
    expect(list.body.notebooks).toEqual([]);
  });

  it('starts a blank notebook when no file is given', async () => {
    const user = await registerThroughApi(t.app);
    const response = await request(t.app)
      .post('/api/notebooks')
      .set(as(user))
      .send({ title: 'Scratch' })
      .expect(201);
    expect(response.body.notebook.title).toBe('Scratch');
    expect(response.body.notebook.content.cells).toHaveLength(1);
  });

  it('stops at the per-student limit, even when uploads arrive together', async () => {
    const user = await registerThroughApi(t.app);
    const file = JSON.stringify(buildNotebook());
    const results = await Promise.all(Array.from({ length: 5 }, () => upload(user, file)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('notebooks.limit_reached');
    const list = await request(t.app).get('/api/notebooks').set(as(user)).expect(200);
    expect(list.body.notebooks).toHaveLength(3);
    expect(list.body.limits).toEqual({ maxNotebooks: 3, maxBytes: 20 * 1024 });

    await request(t.app)
      .delete(`/api/notebooks/${list.body.notebooks[0].id}`)
      .set(as(user))
      .expect(204);
    await upload(user, file).expect(201);
  });
});

describe('working with a personal notebook', () => {
  it('lists, opens, renames, saves with versions and downloads', async () => {
    const user = await registerThroughApi(t.app);
    const created = await uploadNotebook(user, 'print("draft")');
    const list = await request(t.app).get('/api/notebooks').set(as(user)).expect(200);
    expect(list.body.notebooks).toEqual([
      expect.objectContaining({ id: created.id, title: 'Homework 1' }),
    ]);
    expect(list.body.notebooks[0]).not.toHaveProperty('content');

    await request(t.app)
      .patch(`/api/notebooks/${created.id}`)
      .set(as(user))
      .send({ title: '  Final  ' })
      .expect(200);
    const saved = await request(t.app)
      .put(`/api/notebooks/${created.id}`)
      .set(as(user))
      .send({ content: buildNotebook('print("final")'), baseVersion: 1 })
      .expect(200);
    expect(saved.body.version).toBe(2);

    const stale = await request(t.app)
      .put(`/api/notebooks/${created.id}`)
      .set(as(user))
      .send({ content: buildNotebook('print("old tab")'), baseVersion: 1 })
      .expect(409);
    expect(readCurrentVersion(stale.body)).toBe(2);
    const version = await request(t.app)
      .get(`/api/notebooks/${created.id}/version`)
      .set(as(user))
      .expect(200);
    expect(version.body).toEqual({ version: 2 });

    const opened = await request(t.app)
      .get(`/api/notebooks/${created.id}`)
      .set(as(user))
      .expect(200);
    expect(opened.body.notebook).toMatchObject({ title: 'Final', version: 2 });
    expect(opened.body.notebook.content.cells[1].source).toBe('print("final")');

    const download = await request(t.app)
      .get(`/api/notebooks/${created.id}/download`)
      .set(as(user))
      .expect(200);
    expect(download.headers['content-type']).toContain('application/x-ipynb+json');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="?Final\.ipynb"?$/,
    );
    expect(JSON.parse(download.text).cells[1].source).toBe('print("final")');
  });

  it('keeps a NUL character printed into an output (jsonb would refuse it)', async () => {
    const user = await registerThroughApi(t.app);
    const created = await uploadNotebook(user);
    const content = buildNotebook('print("\\0")');
    content.cells[1] = {
      ...content.cells[1]!,
      outputs: [{ output_type: 'stream', name: 'stdout', text: ['\u0000\n'] }],
    };
    await request(t.app)
      .put(`/api/notebooks/${created.id}`)
      .set(as(user))
      .send({ content, baseVersion: 1 })
      .expect(200);
    const opened = await request(t.app)
      .get(`/api/notebooks/${created.id}`)
      .set(as(user))
      .expect(200);
    expect(opened.body.notebook.content.cells[1].outputs[0].text).toEqual(['\u0000\n']);
  });

  it('answers 404 for another student’s notebook and malformed ids, on every route', async () => {
    const mine = await uploadNotebook(owner, 'print("private")');
    for (const id of [mine.id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      for (const [method, path, body] of [
        ['get', `/api/notebooks/${id}`, undefined],
        ['get', `/api/notebooks/${id}/download`, undefined],
        ['get', `/api/notebooks/${id}/version`, undefined],
        ['put', `/api/notebooks/${id}`, { content: buildNotebook('stolen'), baseVersion: 1 }],
        ['patch', `/api/notebooks/${id}`, { title: 'mine now' }],
        ['delete', `/api/notebooks/${id}`, undefined],
      ] as const) {
        const response = await request(t.app)[method](path).set(as(stranger)).send(body);
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.body.error.code).toBe('notebooks.not_found');
      }
    }
    const intact = await request(t.app).get(`/api/notebooks/${mine.id}`).set(as(owner)).expect(200);
    expect(intact.body.notebook).toMatchObject({ title: 'Homework 1', version: 1 });
  });

  it('includes personal notebooks in the data export and deletes them with the account', async () => {
    const user = await registerThroughApi(t.app);
    const created = await uploadNotebook(user, 'print("export me")');
    const exported = await request(t.app).get('/api/auth/me/export').set(as(user)).expect(200);
    expect(exported.body.notebooks.personal).toEqual([
      expect.objectContaining({ id: created.id, title: 'Homework 1' }),
    ]);
    expect(JSON.stringify(exported.body.notebooks.personal[0].content)).toContain('export me');

    const stored = () =>
      t.database.db.select().from(personalNotebooks).where(eq(personalNotebooks.id, created.id));
    expect(await stored()).toHaveLength(1);
    await request(t.app)
      .delete('/api/auth/me')
      .set(as(user))
      .send({ password: user.credentials.password })
      .expect(204);
    expect(await stored()).toEqual([]);
  });
});
