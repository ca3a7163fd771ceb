import type { MessageRow } from './messages.repository.js';
import type { NewSessionRow, SessionRow } from './sessions.repository.js';

/**
 * The rows a turn will have once stored, for a turn whose answer call starts beside the store
 * (turn.service.ts). Ids are chosen here and the INSERT uses them; `seq` is not known yet, so the
 * question sorts after everything stored before it, and the turn's reads leave out its own rows
 * by id in case the store commits first.
 */
export function provisionalRows(input: {
  session: SessionRow;
  userId: string;
  content: string;
  clientMessageId: string;
  ids: { questionId: string; answerId: string };
  now: Date;
}): { session: SessionRow; question: MessageRow; answer: MessageRow } {
  const common = {
    sessionId: input.session.id,
    userId: input.userId,
    // Later than any stored message: "before the question" means all of them.
    seq: Number.MAX_SAFE_INTEGER,
    provider: null,
    model: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    hintLevelProgramming: null,
    hintLevelMaths: null,
    difficultyProgramming: null,
    difficultyMaths: null,
    hintCue: null,
    sources: null,
    errorCode: null,
    replacedAt: null,
    createdAt: input.now,
    completedAt: null,
    heartbeatAt: null,
    ownerId: null,
  };
  return {
    session: input.session,
    question: {
      ...common,
      id: input.ids.questionId,
      role: 'user',
      status: 'complete',
      content: input.content,
      clientMessageId: input.clientMessageId,
      replyToId: null,
    },
    answer: {
      ...common,
      id: input.ids.answerId,
      role: 'assistant',
      status: 'streaming',
      content: '',
      clientMessageId: null,
      replyToId: input.ids.questionId,
    },
  };
}

/**
 * A new conversation as its store will leave it, for a first question whose answer call starts
 * beside that store: the id is chosen here and the INSERT uses it.
 */
export function provisionalSession(
  id: string,
  values: Pick<NewSessionRow, 'userId' | 'title' | 'scope' | 'notebookId'>,
  now: Date,
): SessionRow {
  return {
    id,
    userId: values.userId,
    title: values.title,
    scope: values.scope ?? 'general',
    notebookId: values.notebookId ?? null,
    pedagogy: null,
    summary: null,
    summarizedThroughSeq: null,
    createdAt: now,
    updatedAt: now,
    lastMessageAt: now,
  };
}
