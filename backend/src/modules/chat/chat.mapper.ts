import { materialSourceSchema, type ChatMessage, type ChatSession } from '@hintbook/contracts';
import { z } from 'zod';
import type { MessageRow } from './messages.repository.js';
import type { SessionRow } from './sessions.repository.js';

export function toChatSession(row: SessionRow): ChatSession {
  return {
    id: row.id,
    title: row.title,
    scope: row.scope,
    notebookId: row.notebookId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
  };
}

/** What a student sees of a message: no provider, model, cost or hint level numbers. */
export function toChatMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    sessionId: row.sessionId,
    role: row.role,
    content: row.content,
    status: row.status,
    clientMessageId: row.clientMessageId,
    hintCue: row.hintCue,
    sources: readSources(row.sources),
    errorCode: row.errorCode,
    createdAt: row.createdAt.toISOString(),
  };
}

const storedSources = z.array(materialSourceSchema);

/** Stored citations, read defensively: a row from before citations (or malformed) has none. */
function readSources(value: unknown) {
  const parsed = storedSources.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** A title from the first question: its first line, cut at a word boundary. */
export function titleFromQuestion(content: string): string {
  const firstLine = content.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  if (firstLine.length <= 60) return firstLine || 'New conversation';
  const cut = firstLine.slice(0, 60);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40))}…`;
}
