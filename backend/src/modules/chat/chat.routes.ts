import { Router } from 'express';
import {
  createSessionBodySchema,
  listMessagesQuerySchema,
  listSessionsQuerySchema,
  renameSessionBodySchema,
  type ListMessagesResponse,
  type ListSessionsResponse,
  type SessionResponse,
} from '@hintbook/contracts';
import { sessionNotFound } from './chat.errors.js';
import { toChatMessage, toChatSession } from './chat.mapper.js';
import {
  deleteMySession,
  listMySessions,
  pageMessages,
  renameMySession,
  startSession,
  type SessionsDeps,
} from './sessions.service.js';
import { requireAuth } from '../../middleware/authenticate.js';
import { parseIdParam, parseQuery, withBody } from '../../middleware/validate.js';

/** Conversations under /api/chat (mounted behind `authenticate`). Streaming goes over socket.io. */
export function chatRoutes(deps: SessionsDeps): Router {
  const router = Router();
  const sessionId = (raw: unknown) => parseIdParam(raw, sessionNotFound);

  router.get('/sessions', async (req, res) => {
    const query = parseQuery(listSessionsQuerySchema, req.query);
    const sessions = await listMySessions(deps, requireAuth(req).user.id, query);
    res.json({ sessions: sessions.map(toChatSession) } satisfies ListSessionsResponse);
  });

  router.post(
    '/sessions',
    withBody(createSessionBodySchema, async ({ title }, req, res) => {
      const session = await startSession(deps, requireAuth(req).user.id, title);
      res.status(201).json({ session: toChatSession(session) } satisfies SessionResponse);
    }),
  );

  router.patch(
    '/sessions/:id',
    withBody(renameSessionBodySchema, async ({ title }, req, res) => {
      const session = await renameMySession(
        deps,
        requireAuth(req).user.id,
        sessionId(req.params.id),
        title,
      );
      res.json({ session: toChatSession(session) } satisfies SessionResponse);
    }),
  );

  router.delete('/sessions/:id', async (req, res) => {
    await deleteMySession(deps, requireAuth(req).user.id, sessionId(req.params.id));
    res.status(204).end();
  });

  router.get('/sessions/:id/messages', async (req, res) => {
    const query = parseQuery(listMessagesQuerySchema, req.query);
    const page = await pageMessages(
      deps,
      requireAuth(req).user.id,
      sessionId(req.params.id),
      query,
    );
    res.json({
      messages: page.rows.map(toChatMessage),
      nextCursor: page.nextCursor,
    } satisfies ListMessagesResponse);
  });

  return router;
}
