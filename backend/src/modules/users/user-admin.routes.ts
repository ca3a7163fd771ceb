import { Router, type Request } from 'express';
import { listAdminUsersQuerySchema, setUserAllowanceBodySchema } from '@hintbook/contracts';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, parseQuery, withBody } from '../../middleware/validate.js';
import { adminUserNotFound } from './users.errors.js';
import type { UserAdminDeps } from './users.types.js';
import {
  deleteUserAccount,
  getUserDetail,
  listUsers,
  issueResetLink,
  setAccountDisabled,
  setUserAllowance,
} from './user-admin.service.js';

const userId = (req: Request) => parseIdParam(req.params.id, adminUserNotFound);

/** `/api/admin/users`: people, their progress and usage, accounts and allowances. */
export function adminUsersRoutes(deps: UserAdminDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await listUsers(deps, parseQuery(listAdminUsersQuerySchema, req.query)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getUserDetail(deps, userId(req)));
  });
  router.post('/:id/disable', async (req, res) => {
    res.json({ user: await setAccountDisabled(deps, requireAuth(req).user, userId(req), true) });
  });
  router.post('/:id/enable', async (req, res) => {
    res.json({ user: await setAccountDisabled(deps, requireAuth(req).user, userId(req), false) });
  });
  router.post('/:id/reset-link', async (req, res) => {
    res.status(201).json(await issueResetLink(deps, requireAuth(req).user, userId(req)));
  });
  router.put(
    '/:id/allowance',
    withBody(setUserAllowanceBodySchema, async (body, req, res) => {
      res.json({ user: await setUserAllowance(deps, requireAuth(req).user, userId(req), body) });
    }),
  );
  router.delete('/:id', async (req, res) => {
    await deleteUserAccount(deps, requireAuth(req).user, userId(req));
    res.status(204).end();
  });
  return router;
}
