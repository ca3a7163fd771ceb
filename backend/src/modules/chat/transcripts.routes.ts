import { Router, type Request } from 'express';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam } from '../../middleware/validate.js';
import { adminUserNotFound } from '../users/users.errors.js';
import { sessionNotFound } from './chat.errors.js';
import {
  listUserTranscripts,
  readUserTranscript,
  type TranscriptDeps,
} from './transcripts.service.js';

const userId = (req: Request) => parseIdParam(req.params.id, adminUserNotFound);

/** `/api/admin/users/:id/sessions…`: a student's conversations, read by an admin. */
export function transcriptRoutes(deps: TranscriptDeps): Router {
  const router = Router();
  router.get('/:id/sessions', async (req, res) => {
    res.json(await listUserTranscripts(deps, requireAuth(req).user, userId(req)));
  });
  router.get('/:id/sessions/:sessionId/messages', async (req, res) => {
    const sessionId = parseIdParam(req.params.sessionId, sessionNotFound);
    res.json(await readUserTranscript(deps, requireAuth(req).user, userId(req), sessionId));
  });
  return router;
}
