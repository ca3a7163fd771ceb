import { Router } from 'express';
import {
  changePasswordBodySchema,
  deleteAccountBodySchema,
  updateProfileBodySchema,
  type MeResponse,
} from '@hintbook/contracts';
import {
  changePassword,
  deleteAccount,
  exportAccountData,
  updateProfile,
} from './account.service.js';
import type { AuthDeps } from '../auth/auth.types.js';
import { clearRefreshCookie, sendSession } from '../auth/session-cookie.js';
import { toPublicUser } from '../users/users.mapper.js';
import { authenticate, requireAuth } from '../../middleware/authenticate.js';
import { withBody } from '../../middleware/validate.js';

/** The signed-in user's own account, mounted at /api/auth/me. */
export function accountRoutes(deps: AuthDeps): Router {
  const router = Router();
  router.use(authenticate(deps.db, deps.accessTokens));

  router.get('/', (req, res) => {
    res.json({ user: toPublicUser(requireAuth(req).user) } satisfies MeResponse);
  });

  router.patch(
    '/',
    withBody(updateProfileBodySchema, async (body, req, res) => {
      const user = await updateProfile(deps, requireAuth(req).user, body);
      res.json({ user: toPublicUser(user) } satisfies MeResponse);
    }),
  );

  router.put(
    '/password',
    withBody(changePasswordBodySchema, async (body, req, res) => {
      const { user, sessionId } = requireAuth(req);
      const result = await changePassword(deps, user, sessionId, body);
      sendSession(res, deps.settings, result.user, result.session);
    }),
  );

  router.get('/export', async (req, res) => {
    const data = await exportAccountData(deps, requireAuth(req).user.id);
    const day = data.exportedAt.slice(0, 10);
    res.set('Cache-Control', 'no-store');
    res.attachment(`hintbook-export-${day}.json`).json(data);
  });

  router.delete(
    '/',
    withBody(deleteAccountBodySchema, async (body, req, res) => {
      await deleteAccount(deps, requireAuth(req).user, body.password);
      clearRefreshCookie(res, deps.settings);
      res.status(204).end();
    }),
  );

  return router;
}
