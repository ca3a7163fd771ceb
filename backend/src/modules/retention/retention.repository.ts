import { and, inArray, lt, notExists, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatSessions, messages } from '../../db/schema/index.js';

/**
 * Deletes up to `limit` conversations last touched before `cutoff`, with their messages (and
 * what hangs off them) by cascade. The usage ledger and redaction counts only lose the link.
 * A conversation with an answer still streaming is left for the next sweep.
 */
export async function deleteSessionsUntouchedSince(
  db: Db,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const expired = db
    .select({ id: chatSessions.id })
    .from(chatSessions)
    .where(
      and(
        lt(chatSessions.updatedAt, cutoff),
        notExists(
          db
            .select({ id: messages.id })
            .from(messages)
            .where(and(eq(messages.sessionId, chatSessions.id), eq(messages.status, 'streaming'))),
        ),
      ),
    )
    .limit(limit);
  const deleted = await db
    .delete(chatSessions)
    .where(inArray(chatSessions.id, expired))
    .returning({ id: chatSessions.id });
  return deleted.length;
}
