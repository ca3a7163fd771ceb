import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { registerThroughApi, type SignedInUser } from '../test/factories.js';
import { createTestApp, type TestApp } from '../test/harness.js';
import { adminRoutes, type AdminDeps } from './admin.routes.js';
import { ADMIN_EMAIL, listRoutes } from '../test/admin.js';

const ID = '00000000-0000-4000-8000-000000000001';

/**
 * Every admin route, by hand. The first test compares this with the routes the admin router
 * really has, so a new route that is not listed here fails until it is (and so is guarded).
 */
const ADMIN_ROUTES: Array<[string, string]> = [
  ['GET', '/users'],
  ['GET', '/users/:id'],
  ['POST', '/users/:id/disable'],
  ['POST', '/users/:id/enable'],
  ['POST', '/users/:id/reset-link'],
  ['PUT', '/users/:id/allowance'],
  ['POST', '/roster'],
  ['GET', '/invitations'],
  ['DELETE', '/invitations/:id'],
  ['GET', '/groups'],
  ['GET', '/module-groups/:moduleId'],
  ['PUT', '/module-groups/:moduleId'],
  ['GET', '/user-groups/:userId'],
  ['PUT', '/user-groups/:userId'],
  ['DELETE', '/users/:id'],
  ['GET', '/users/:id/sessions'],
  ['GET', '/users/:id/sessions/:sessionId/messages'],
  ['GET', '/usage'],
  ['GET', '/usage/budget'],
  ['GET', '/usage/guard-trips'],
  ['GET', '/usage/privacy'],
  ['GET', '/settings'],
  ['PUT', '/settings'],
  ['POST', '/settings/providers/:name/test'],
  ['GET', '/provider-errors'],
  ['POST', '/provider-errors/:id/resolve'],
  ['GET', '/audit-log'],
  ['GET', '/insights/questions'],
  ['GET', '/retrieval'],
  ['GET', '/modules'],
  ['POST', '/modules'],
  ['POST', '/modules/import'],
  ['PUT', '/modules/order'],
  ['GET', '/modules/:moduleId'],
  ['PATCH', '/modules/:moduleId'],
  ['DELETE', '/modules/:moduleId'],
  ['GET', '/modules/:moduleId/progress'],
  ['GET', '/modules/:moduleId/progress/students'],
  ['POST', '/modules/:moduleId/publish'],
  ['POST', '/modules/:moduleId/unpublish'],
  ['POST', '/modules/:moduleId/notebooks'],
  ['PUT', '/modules/:moduleId/notebooks/order'],
  ['PATCH', '/modules/:moduleId/notebooks/:notebookId'],
  ['PUT', '/modules/:moduleId/notebooks/:notebookId/content'],
  ['DELETE', '/modules/:moduleId/notebooks/:notebookId'],
  ['GET', '/modules/:moduleId/notebooks/:notebookId/preview'],
  ['POST', '/modules/:moduleId/files'],
  ['DELETE', '/modules/:moduleId/files/:fileId'],
  ['GET', '/modules/:moduleId/exercises'],
  ['PATCH', '/modules/:moduleId/exercises/:exerciseId'],
  ['PUT', '/modules/:moduleId/ai-policy'],
];

const key = ([method, path]: [string, string]) => `${method} ${path}`;
const sample = (path: string) =>
  `/api/admin${path.replace(':name', 'anthropic').replace(/:[A-Za-z]+/g, ID)}`;

describe('admin route guard', () => {
  let t: TestApp;
  let student: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAIL });
    student = await registerThroughApi(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists exactly the routes the admin router serves', () => {
    const router = adminRoutes({
      logger: pino({ level: 'silent' }),
      settings: {},
    } as unknown as AdminDeps);
    const served = listRoutes(router).map(key).sort();
    expect(served).toEqual(ADMIN_ROUTES.map(key).sort());
  });

  it.each(ADMIN_ROUTES)(
    '%s %s answers 401 to anonymous callers and 403 to students',
    async (method, path) => {
      const call = (m: string) =>
        request(t.app)[m.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](
          sample(path),
        );
      const anonymous = await call(method).send({});
      expect(anonymous.status).toBe(401);
      const asStudent = await call(method)
        .set('Authorization', `Bearer ${student.accessToken}`)
        .send({});
      expect(asStudent.status).toBe(403);
      expect(asStudent.body.error.code).toBe('auth.forbidden');
    },
  );
});
