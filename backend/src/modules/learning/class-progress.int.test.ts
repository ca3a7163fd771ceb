import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  moduleClassProgressResponseSchema,
  moduleStudentProgressResponseSchema,
} from '@hintbook/contracts';
import { exerciseAttempts, exercises } from '../../db/schema/index.js';
import { asUser } from '../../test/admin.js';
import { registerAdmin, registerThroughApi, type SignedInUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { createModuleInDb } from './learning.test-helpers.js';
import { listNotebookSummaries } from './module-notebooks.repository.js';

const ADMIN = 'teacher@school.example';
let t: TestApp;
let admin: SignedInUser;
let moduleId: string;
let firstId: string;
let secondId: string;

beforeAll(async () => {
  t = await createTestApp({ ADMIN_EMAIL: ADMIN, SEED_STARTER_MODULE: 'false' });
  admin = await registerAdmin(t, { email: ADMIN, username: 'teacher' });
  ({ moduleId } = await createModuleInDb(t.database.db, { notebooks: 2 }));
  [firstId, secondId] = (await listNotebookSummaries(t.database.db, [moduleId])).map(
    (notebook) => notebook.id,
  ) as [string, string];
});
afterAll(() => t.close());

const copy = (notebookId: string) => `/api/modules/${moduleId}/notebooks/${notebookId}/copy`;
const progress = async () =>
  moduleClassProgressResponseSchema.parse(
    (await asUser(t, admin).get(`/api/admin/modules/${moduleId}/progress`).expect(200)).body,
  );

describe('a module’s class progress', () => {
  it('counts, per notebook, the students in progress and done, out of everyone it is for', async () => {
    const [ada, bo, cy, gone] = await Promise.all(
      ['ada', 'bo', 'cy', 'gone'].map((name) =>
        registerThroughApi(t.app, { email: `${name}@school.example` }),
      ),
    );
    // Ada finished the first notebook; Bo opened it and saved; Cy opened it only.
    await asUser(t, ada!).patch(copy(firstId)).send({ status: 'completed' }).expect(200);
    await asUser(t, bo!).patch(copy(firstId)).send({ status: 'in_progress' }).expect(200);
    await asUser(t, cy!).get(copy(firstId)).expect(200);
    // A disabled account and the admin's own copy are not the class.
    await asUser(t, gone!).patch(copy(secondId)).send({ status: 'completed' }).expect(200);
    await asUser(t, admin).patch(copy(secondId)).send({ status: 'completed' }).expect(200);
    await asUser(t, admin).post(`/api/admin/users/${gone!.body.user.id}/disable`).expect(200);

    expect(await progress()).toEqual({
      students: 3,
      notebooks: [
        { notebookId: firstId, inProgress: 1, completed: 1 },
        { notebookId: secondId, inProgress: 0, completed: 0 },
      ],
    });

    // Student by student, for the gradebook: two exercises in the first notebook, Ada passed
    // one (after a failed check) and failed the other; Bo only failed.
    const [square, even] = await t.database.db
      .insert(exercises)
      .values(
        ['square', 'even'].map((gradeId, position) => ({
          moduleNotebookId: firstId,
          gradeId,
          cellId: gradeId,
          position,
        })),
      )
      .returning({ id: exercises.id });
    const check = (user: SignedInUser, exerciseId: string, outcome: 'passed' | 'failed') => ({
      userId: user.body.user.id,
      exerciseId,
      codeHash: `${outcome}-${exerciseId}`,
      outcome,
      durationMs: 100,
    });
    await t.database.db
      .insert(exerciseAttempts)
      .values([
        check(ada!, square!.id, 'failed'),
        check(ada!, square!.id, 'passed'),
        check(ada!, even!.id, 'failed'),
        check(bo!, square!.id, 'failed'),
      ]);
    const perStudent = moduleStudentProgressResponseSchema.parse(
      (await asUser(t, admin).get(`/api/admin/modules/${moduleId}/progress/students`).expect(200))
        .body,
    );
    expect(perStudent.notebooks).toEqual([
      { notebookId: firstId, title: expect.any(String), exercises: 2 },
      { notebookId: secondId, title: expect.any(String), exercises: 0 },
    ]);
    const row = (name: string) =>
      perStudent.students.find((student) => student.email === `${name}@school.example`);
    expect(perStudent.students.map((student) => student.email).sort()).toEqual([
      'ada@school.example',
      'bo@school.example',
      'cy@school.example',
    ]);
    expect(row('ada')!.notebooks).toEqual([
      {
        notebookId: firstId,
        status: 'completed',
        exercisesPassed: 1,
        updatedAt: expect.any(String),
      },
      { notebookId: secondId, status: 'not_started', exercisesPassed: 0, updatedAt: null },
    ]);
    expect(row('bo')!.notebooks[0]).toMatchObject({ status: 'in_progress', exercisesPassed: 0 });
    expect(row('cy')!.notebooks[0]).toMatchObject({ status: 'not_started', exercisesPassed: 0 });

    // Once the module is for one group only, only its members count.
    await asUser(t, admin)
      .post('/api/admin/roster')
      .send({ text: 'ada@school.example,,9B' })
      .expect(201);
    const groups = (await asUser(t, admin).get('/api/admin/groups').expect(200)).body.groups;
    const nineB = groups.find((group: { name: string }) => group.name === '9B').id;
    await asUser(t, admin)
      .put(`/api/admin/module-groups/${moduleId}`)
      .send({ groupIds: [nineB] })
      .expect(200);
    expect(await progress()).toMatchObject({
      students: 1,
      notebooks: [{ notebookId: firstId, inProgress: 0, completed: 1 }, { completed: 0 }],
    });
    const narrowed = (
      await asUser(t, admin).get(`/api/admin/modules/${moduleId}/progress/students`).expect(200)
    ).body.students;
    expect(narrowed).toEqual([
      expect.objectContaining({ email: 'ada@school.example', groups: ['9B'] }),
    ]);
  });

  it('is for admins only, and answers 404 for an unknown module', async () => {
    const student = await registerThroughApi(t.app);
    await asUser(t, student).get(`/api/admin/modules/${moduleId}/progress`).expect(403);
    await asUser(t, student).get(`/api/admin/modules/${moduleId}/progress/students`).expect(403);
    await asUser(t, admin)
      .get('/api/admin/modules/00000000-0000-4000-8000-000000000000/progress/students')
      .expect(404);
    await asUser(t, admin)
      .get('/api/admin/modules/00000000-0000-4000-8000-000000000000/progress')
      .expect(404);
  });
});
