import type { AdminMessagesResponse, AdminSessionsResponse } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { recordAudit, type AuditActor } from '../audit/audit.service.js';
import { adminUserNotFound } from '../users/users.errors.js';
import { findUserById } from '../users/users.service.js';
import { sessionNotFound, transcriptsDisabled } from './chat.errors.js';
import { toChatMessage, toChatSession } from './chat.mapper.js';
import { listTranscriptMessages } from './messages.repository.js';
import { findOwnedSession, listSessions } from './sessions.repository.js';

/** What the admin's transcript reading needs; built once in app.ts (part of AdminDeps). */
export interface TranscriptDeps {
  db: Db;
  clock: Clock;
  /** ADMIN_CAN_READ_TRANSCRIPTS: off by default. */
  canReadTranscripts: boolean;
}

function assertTranscriptsAllowed(deps: TranscriptDeps) {
  if (!deps.canReadTranscripts) throw transcriptsDisabled();
}

/** A student's conversations; only with ADMIN_CAN_READ_TRANSCRIPTS, and every view is audited. */
export async function listUserTranscripts(
  deps: TranscriptDeps,
  actor: AuditActor,
  userId: string,
): Promise<AdminSessionsResponse> {
  assertTranscriptsAllowed(deps);
  if (!(await findUserById(deps.db, userId))) throw adminUserNotFound();
  const sessions = await listSessions(deps.db, userId, { limit: 500 });
  await recordAudit(
    deps.db,
    actor,
    { action: 'transcript.list', targetType: 'user', targetId: userId },
    deps.clock(),
  );
  return { sessions: sessions.map(toChatSession) };
}

export async function readUserTranscript(
  deps: TranscriptDeps,
  actor: AuditActor,
  userId: string,
  sessionId: string,
): Promise<AdminMessagesResponse> {
  assertTranscriptsAllowed(deps);
  const session = await findOwnedSession(deps.db, userId, sessionId);
  if (!session) throw sessionNotFound();
  const rows = await listTranscriptMessages(deps.db, sessionId);
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'transcript.view',
      targetType: 'chat_session',
      targetId: sessionId,
      details: { userId, title: session.title },
    },
    deps.clock(),
  );
  return { messages: rows.map(toChatMessage) };
}
