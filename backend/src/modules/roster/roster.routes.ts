import { Router } from 'express';
import {
  importRosterBodySchema,
  invitationLookupBodySchema,
  moduleGroupsBodySchema,
} from '@hintbook/contracts';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, withBody } from '../../middleware/validate.js';
import { invitationNotFound, moduleNotFoundForGroups } from './roster.errors.js';
import {
  getModuleGroups,
  importRoster,
  listGroups,
  setModuleGroups,
  listInvitations,
  lookUpInvitation,
  revokeInvitation,
  type RosterDeps,
} from './roster.service.js';

/** `/api/admin/roster`, `/api/admin/invitations`, `/api/admin/groups` (admins only). */
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
