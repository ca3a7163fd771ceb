import { Router } from 'express';
import {
  importRosterBodySchema,
  invitationLookupBodySchema,
  moduleGroupsBodySchema,
  userGroupsBodySchema,
} from '@hintbook/contracts';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, withBody } from '../../middleware/validate.js';
import {
  invitationNotFound,
  moduleNotFoundForGroups,
  userNotFoundForGroups,
} from './roster.errors.js';
import {
  getModuleGroups,
  getUserGroups,
  importRoster,
  listGroups,
  setModuleGroups,
  setUserGroups,
  listInvitations,
  lookUpInvitation,
  revokeInvitation,
  type RosterDeps,
} from './roster.service.js';

/**
 * `/api/admin/roster`, `/api/admin/invitations`, `/api/admin/groups`, who a module is for
 * (`module-groups`) and the groups a person is in (`user-groups`); admins only.
 */
export function rosterAdminRoutes(deps: RosterDeps): Router {
  const router = Router();
  router.post(
    '/roster',
    withBody(importRosterBodySchema, async (body, req, res) => {
      res.status(201).json(await importRoster(deps, requireAuth(req).user, body));
    }),
  );
  router.get('/invitations', async (_req, res) => {
    res.json({ invitations: await listInvitations(deps) });
  });
  router.delete('/invitations/:id', async (req, res) => {
    const id = parseIdParam(req.params.id, invitationNotFound);
    await revokeInvitation(deps, requireAuth(req).user, id);
    res.status(204).end();
  });
  router.get('/module-groups/:moduleId', async (req, res) => {
    const moduleId = parseIdParam(req.params.moduleId, moduleNotFoundForGroups);
    res.json(await getModuleGroups(deps, moduleId));
  });
  router.put(
    '/module-groups/:moduleId',
    withBody(moduleGroupsBodySchema, async (body, req, res) => {
      const moduleId = parseIdParam(req.params.moduleId, moduleNotFoundForGroups);
      res.json(await setModuleGroups(deps, requireAuth(req).user, moduleId, body.groupIds));
    }),
  );
  router.get('/user-groups/:userId', async (req, res) => {
    const userId = parseIdParam(req.params.userId, userNotFoundForGroups);
    res.json(await getUserGroups(deps, userId));
  });
  router.put(
    '/user-groups/:userId',
    withBody(userGroupsBodySchema, async (body, req, res) => {
      const userId = parseIdParam(req.params.userId, userNotFoundForGroups);
      res.json(await setUserGroups(deps, requireAuth(req).user, userId, body.groupIds));
    }),
  );
  router.get('/groups', async (_req, res) => {
    res.json({ groups: await listGroups(deps) });
  });
  return router;
}

/** `POST /api/auth/invitation`: the registration page shows whom an invitation is for. */
export function invitationLookupRoutes(deps: Pick<RosterDeps, 'db' | 'clock'>): Router {
  const router = Router();
  router.post(
    '/',
    withBody(invitationLookupBodySchema, async (body, _req, res) => {
      res.json(await lookUpInvitation(deps, body.token));
    }),
  );
  return router;
}
