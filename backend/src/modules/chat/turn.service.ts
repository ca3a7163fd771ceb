import { randomUUID } from 'node:crypto';
import type {
  ChatResumeAck,
  ChatResumePayload,
  ChatRetryPayload,
  ChatSendPayload,
  ChatStopPayload,
} from '@hintbook/contracts';
import type { TurnKind } from '../../ai/pedagogy/index.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { UserRow } from '../users/users.types.js';
import {
  checkTurnLimits,
  RATE_LIMIT_WINDOW_MS,
  reserveTurn,
  settleReservation,
  type TurnLimitsCheck,
  type TurnReservation,
} from '../usage/quota.service.js';
import {
  messageNotFound,
  messageTooLong,
  notLastQuestion,
  nothingToRetry,
  sessionNotFound,
  turnInProgress,
  tutorNotConfigured,
} from './chat.errors.js';
import { titleFromQuestion } from './chat.mapper.js';
import {
  countQuestionsSince,
  findAnswerTo,
  findLastVisibleQuestion,
  findMessageByClientId,
  findOwnedMessage,
  findSendChecks,
  insertMessage,
  insertQuestionWithAnswer,
  insertTurn,
  interruptStaleAnswers,
  markReplaced,
  type MessageRow,
} from './messages.repository.js';
import {
  createSession,
  findOwnedSession,
  touchSession,
  type SessionRow,
} from './sessions.repository.js';
import { runTurn } from './turn-runner.js';
import { notebookNotFound } from '../learning/learning.errors.js';
import { resolveNotebookScope } from '../learning/notebook-scope.js';
import {
  STALE_AFTER_MS,
  type ReplayEmitter,
  type TurnDeps,
  type TurnStarted,
} from './turn.types.js';
import { provisionalRows, provisionalSession } from './provisional-turn.js';
import { commitBeside } from './turn-commit.js';
import { startPromptReads, type PromptReads } from './prompt-reads.js';
import type { SessionScope } from './session-scopes.js';
import { createTurnVault, redactNotebookContext } from './private-tutor.js';
import type { RedactionVault } from '../../ai/privacy/redaction.js';

export type { TurnStarted };

/**
 * Stores the question and a placeholder answer, then starts the answer in the background.
 * Resolves once both are stored (the socket ack); events follow. A resend with the same
 * client message id returns the first one's ids and starts nothing.
 */
export async function sendQuestion(
  deps: TurnDeps,
  user: UserRow,
  payload: ChatSendPayload,
): Promise<TurnStarted> {
  if (!deps.tutor.isConfigured()) throw tutorNotConfigured(user.isAdmin);
  if (payload.content.length > deps.limits.messageMaxLength)
    throw messageTooLong(deps.limits.messageMaxLength);

  // Independent of each other, and each one delays the first token: side by side. The send's
  // own checks (the conversation, an earlier send with this id, the rate limit's count) are one
  // statement; a limit's refusal counts only once the send is known to be new.
  const sendChecks = findSendChecks(deps.db, {
    userId: user.id,
    sessionId: payload.sessionId,
    clientMessageId: payload.clientMessageId,
    since: new Date(deps.clock().getTime() - RATE_LIMIT_WINDOW_MS),
  });
  sendChecks.catch(() => undefined);
  const limitsChecked = checkLimits(deps, user.id, () =>
    sendChecks.then((checks) => checks.recentQuestions),
  );
  limitsChecked.catch(() => undefined);
  const sessionRead = payload.sessionId
    ? sendChecks.then(({ session: found }) => {
        if (found) deps.sessionScopes?.remember(found);
        return found;
      })
    : undefined;
  // A conversation this process has seen: its rules and course search need not wait for the
  // read (its scope never changes); the read still decides whether the send is accepted.
  const knownScope = payload.sessionId
    ? deps.sessionScopes?.get(user.id, payload.sessionId)
    : undefined;
  // A first question from the workspace opens a conversation about that notebook.
  const notebookScopeRead =
    !payload.sessionId && payload.notebook
      ? resolveNotebookScope(deps.db, user.id, payload.notebook)
      : undefined;
  notebookScopeRead?.catch(() => undefined);
  // A new conversation's id is chosen now: its prompt reads start before it is stored.
  const ids = {
    sessionId: payload.sessionId ?? randomUUID(),
    questionId: randomUUID(),
    answerId: randomUUID(),
  };
  // The prompt's reads start now too, beside these checks rather than after them: a follow-up's
  // with the conversation's scope, a first question's with the scope it opens (and no history
  // to read). A send that turns out refused, a duplicate or near a limit drops them (the latter
  // reads again, after its store).
  const early = payload.replacesMessageId
    ? undefined
    : sessionRead
      ? startEarlyReads(deps, user, payload, ids.sessionId, knownScope ?? sessionRead)
      : startEarlyReads(deps, user, payload, ids.sessionId, notebookScopeRead ?? GENERAL, true);
  const [duplicate, found, notebookScope] = await Promise.all([
    sendChecks.then(({ earlier }) => earlier && duplicateOf(deps.db, earlier)),
    sessionRead,
    notebookScopeRead,
  ]);
  const session = found;
  const isAccepted =
    !duplicate &&
    (session
      ? !deps.activeTurns.runningInSession(session.id)
      : !payload.sessionId && (!payload.notebook || notebookScope));
  if (!isAccepted) early?.reads.stop();
  if (duplicate) return duplicate;
  const refusal =
    payload.sessionId && !session
      ? sessionNotFound()
      : session && deps.activeTurns.runningInSession(session.id)
        ? turnInProgress()
        : payload.notebook && !session && !notebookScope
          ? notebookNotFound()
          : undefined;
  if (refusal) throw refusal;
  const checked = await limitsChecked.catch((error: unknown) => {
    early?.reads.stop();
    throw error;
  });

  const isNewSession = !session;
  const now = deps.clock();
  const newSession = {
    // As touchSession would leave it: a new conversation's first message is this one.
    lastMessageAt: now,
    updatedAt: now,
    userId: user.id,
    title: notebookScope
      ? `${notebookScope.title}: ${titleFromQuestion(payload.content)}`
      : titleFromQuestion(payload.content),
    scope: notebookScope?.scope ?? ('general' as const),
    notebookId: notebookScope?.notebookId ?? null,
  };
  // The question and its placeholder answer, together or not at all: one statement with the
  // conversation it opens or continues; an edit (which also hides the question it replaces) in a
  // transaction.
  const rows = {
    userId: user.id,
    content: payload.content,
    clientMessageId: payload.clientMessageId,
    createdAt: now,
    ids,
    ownerId: deps.leases?.ownerId,
  };
  const store = () =>
    payload.replacesMessageId
      ? storeEdit(payload.replacesMessageId)
      : insertTurn(deps.db, {
          ...rows,
          sessionId: ids.sessionId,
          newSession: session ? undefined : newSession,
        });
  const storeEdit = (replacedId: string) =>
    withTransaction(deps.db, async (tx) => {
      const txDeps = { ...deps, db: tx };
      const target = session ?? (await createSession(txDeps.db, newSession));
      await replaceLastQuestion(txDeps, target, user.id, replacedId);
      const { question, answer } = await insertQuestionWithAnswer(txDeps.db, {
        ...rows,
        sessionId: target.id,
      });
      if (session) await touchSession(txDeps.db, target.id, now);
      return { session: target, question, answer };
    });
  const storeOnce = () =>
    store()
      .catch(async (error: unknown) => {
        // An answer left `streaming` by a process that died blocks its conversation until it is
        // ended. Looked for only when one is in the way: no extra write on every turn.
        if (!session || !isUniqueViolation(error, 'messages_one_streaming_per_session_idx'))
          throw error;
        await releaseOrphanedAnswer(deps, session.id);
        return store();
      })
      .catch(async (error: unknown) => {
        // Lost a race: the same client id was stored by a concurrent send, or another answer
        // in this conversation is running.
        if (isUniqueViolation(error, 'messages_user_client_id_idx')) {
          return findDuplicate(deps.db, user.id, payload.clientMessageId);
        }
        if (isUniqueViolation(error, 'messages_one_streaming_per_session_idx'))
          throw turnInProgress();
        throw error;
      });
  const kind: TurnKind = payload.replacesMessageId ? 'edit' : 'new';

  // Far from every limit: the answer call starts as soon as its prompt is built, and the hold
  // and the store start once its request is on its way (turn-runner.ts holds its text until
  // both committed): only the prompt's reads stand before the answer call. An edit changes the
  // history the prompt reads, so it is stored first. A new conversation's calls name a row its
  // store is still writing: their usage rows wait for that store (usage.service.ts).
  if (checked.hasRoomToOverlap && !payload.replacesMessageId) {
    const target = session ?? provisionalSession(ids.sessionId, newSession, now);
    const committed = commitBeside(() => reserve(deps, user.id, checked), storeOnce);
    const provisional = provisionalRows({
      session: target,
      userId: user.id,
      content: payload.content,
      clientMessageId: payload.clientMessageId,
      ids,
      now,
    });
    const turn = deps.activeTurns.start({
      turnId: ids.answerId,
      sessionId: target.id,
      userId: user.id,
    });
    runTurn(deps, {
      turn,
      user,
      ...provisional,
      isNewSession,
      notebookContext: payload.context,
      kind,
      committed,
      ...(early ? { reads: early.reads, vault: early.vault } : {}),
    })
      .catch((error: unknown) =>
        deps.logger.error({ err: error, turnId: turn.turnId }, 'turn crashed'),
      )
      // However the turn ended, the send's ack waits for the store.
      .finally(committed.begin);
    const outcome = await committed.stored;
    if (!outcome.ok) throw outcome.error;
    if (!('answer' in outcome.rows)) return outcome.rows;
    if (isNewSession) deps.sessionScopes?.remember(outcome.rows.session);
    return {
      sessionId: target.id,
      userMessageId: ids.questionId,
      turnId: ids.answerId,
      duplicate: false,
    };
  }

  early?.reads.stop();
  const reservation = await reserve(deps, user.id, checked);
  const stored = await storeOrRelease(deps, reservation, storeOnce);
  if (!stored) throw new Error('a send that lost a race left no stored message');
  if (!('answer' in stored)) {
    await release(deps, reservation);
    return stored;
  }
  deps.sessionScopes?.remember(stored.session);

  start(deps, user, stored.session, stored.question, stored.answer, {
    reservation,
    isNewSession,
    notebookContext: payload.context,
    kind,
  });
  return {
    sessionId: stored.session.id,
    userMessageId: stored.question.id,
    turnId: stored.answer.id,
    duplicate: false,
  };
}

/** A conversation opened outside any notebook. */
const GENERAL: SessionScope = { scope: 'general', notebookId: null };

/**
 * A turn's prompt reads, started with the send's checks: a follow-up's session scope is the one
 * this process remembers, else the session read those checks run anyway gives it; a new
 * conversation's is the notebook it opens on, or none. The question's own rows (not stored yet)
 * sort after everything read, as provisional-turn.ts has them.
 */
function startEarlyReads(
  deps: TurnDeps,
  user: UserRow,
  payload: ChatSendPayload,
  sessionId: string,
  session: SessionScope | Promise<SessionScope | undefined>,
  isNewSession = false,
): { reads: PromptReads; vault: RedactionVault } {
  const vault = createTurnVault(deps, user);
  const redact = (text: string) =>
    deps.privacy.redactionKinds.size > 0 ? vault.redact(text) : text;
  const reads = startPromptReads(deps, {
    user,
    sessionId,
    session,
    question: { seq: Number.MAX_SAFE_INTEGER, notebookContext: payload.context },
    isNewSession,
    outbound: {
      content: redact(payload.content),
      notebookContext: redactNotebookContext(payload.context, redact),
    },
    now: deps.clock(),
  });
  return { reads, vault };
}

/**
 * Checks the rate limit and reads how far the student is from the others (quota.service.ts).
 * `recentQuestions` gives the rate limit's count when the caller reads it already.
 */
function checkLimits(
  deps: TurnDeps,
  userId: string,
  recentQuestions?: () => Promise<number>,
): Promise<TurnLimitsCheck> {
  return checkTurnLimits(
    { db: deps.db, limits: deps.limits, clock: deps.clock },
    userId,
    deps.spending?.estimate() ?? { tokens: 0, costUsd: 0 },
    recentQuestions ?? ((since) => countQuestionsSince(deps.db, userId, since)),
    deps.activeTurns.running().length,
  );
}

/** Holds what the turn may spend, under the reservation lock (see quota.service.ts). */
function reserve(
  deps: TurnDeps,
  userId: string,
  checked: TurnLimitsCheck,
): Promise<TurnReservation> {
  return reserveTurn(
    { db: deps.db, limits: deps.limits, clock: deps.clock },
    userId,
    deps.spending?.estimate() ?? { tokens: 0, costUsd: 0 },
    checked.limits,
  );
}

/** A turn that never started gives its hold back; a failure here only delays that to expiry. */
async function release(deps: TurnDeps, reservation: TurnReservation) {
  await settleReservation(deps, reservation).catch((error: unknown) =>
    deps.logger.warn({ err: error }, 'could not release a usage reservation'),
  );
}

/** Runs a step between reserving and starting; when it throws, the hold is given back. */
async function storeOrRelease<T>(
  deps: TurnDeps,
  reservation: TurnReservation,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await release(deps, reservation);
    throw error;
  }
}

/**
 * An answer left `streaming` by a process that died must not block the conversation for good.
 * Answers running here, or owned by a process still beating, are left alone.
 */
async function releaseOrphanedAnswer(deps: TurnDeps, sessionId: string): Promise<void> {
  const now = deps.clock();
  const staleBefore = staleBeforeFor(deps, now);
  if (!staleBefore) return;
  await interruptStaleAnswers(deps.db, now, staleBefore, {
    sessionId,
    liveIds: deps.activeTurns.running().map((turn) => turn.turnId),
    ownerId: deps.leases?.ownerId,
  });
}

/** Null right after a database outage, when old heartbeats prove nothing (answer-leases.ts). */
function staleBeforeFor(deps: TurnDeps, now: Date): Date | null {
  return deps.leases ? deps.leases.staleBefore(now) : new Date(now.getTime() - STALE_AFTER_MS);
}

async function findDuplicate(
  db: Db,
  userId: string,
  clientMessageId: string,
): Promise<TurnStarted | undefined> {
  const existing = await findMessageByClientId(db, userId, clientMessageId);
  return existing ? duplicateOf(db, existing) : undefined;
}

/** The turn an earlier send with the same client id started. */
async function duplicateOf(
  db: Db,
  existing: Pick<MessageRow, 'id' | 'role' | 'sessionId' | 'replyToId'>,
): Promise<TurnStarted> {
  if (existing.role === 'assistant') {
    // The id of a retry: the answer it started is the turn.
    return {
      sessionId: existing.sessionId,
      userMessageId: existing.replyToId ?? '',
      turnId: existing.id,
      duplicate: true,
    };
  }
  const answer = await findAnswerTo(db, existing.id);
  return {
    sessionId: existing.sessionId,
    userMessageId: existing.id,
    turnId: answer?.id ?? '',
    duplicate: true,
  };
}

/** Edit-and-resend: the session's last question and its answer leave the visible history. */
async function replaceLastQuestion(
  deps: TurnDeps,
  session: SessionRow,
  userId: string,
  messageId: string,
) {
  const last = await findLastVisibleQuestion(deps.db, session.id);
  if (!last || last.id !== messageId || last.userId !== userId) throw notLastQuestion();
  const answer = await findAnswerTo(deps.db, last.id);
  if (answer?.status === 'streaming') throw turnInProgress();
  await markReplaced(deps.db, answer ? [last.id, answer.id] : [last.id], deps.clock());
}

/**
 * Answers the session's last question again, after an error or a stop. The stopped or failed
 * answer committed nothing, and a retry is no new attempt: the stored level holds.
 */
export async function retryLastQuestion(
  deps: TurnDeps,
  user: UserRow,
  payload: ChatRetryPayload,
): Promise<TurnStarted> {
  if (!deps.tutor.isConfigured()) throw tutorNotConfigured(user.isAdmin);
  // A retry whose ack was lost is resent with the same id: answer with the first one's turn.
  const duplicate = await findDuplicate(deps.db, user.id, payload.clientMessageId);
  if (duplicate) return duplicate;
  const session = await findOwnedSession(deps.db, user.id, payload.sessionId);
  if (!session) throw sessionNotFound();
  if (deps.activeTurns.runningInSession(session.id)) throw turnInProgress();
  await releaseOrphanedAnswer(deps, session.id);
  const question = await findLastVisibleQuestion(deps.db, session.id);
  if (!question) throw nothingToRetry();
  const previous = await findAnswerTo(deps.db, question.id);
  if (previous?.status === 'complete') throw nothingToRetry();
  if (previous?.status === 'streaming') throw turnInProgress();
  const reservation = await reserve(deps, user.id, await checkLimits(deps, user.id));

  const answer = await withTransaction(deps.db, async (tx) => {
    if (previous) await markReplaced(tx, [previous.id], deps.clock());
    return insertMessage(tx, {
      sessionId: session.id,
      userId: user.id,
      role: 'assistant',
      status: 'streaming',
      replyToId: question.id,
      clientMessageId: payload.clientMessageId,
      createdAt: deps.clock(),
      ownerId: deps.leases?.ownerId,
    });
  }).catch(async (error: unknown) => {
    await release(deps, reservation);
    if (isUniqueViolation(error, 'messages_one_streaming_per_session_idx')) throw turnInProgress();
    throw error;
  });
  start(deps, user, session, question, answer, {
    reservation,
    isNewSession: false,
    kind: 'retry',
  });
  return { sessionId: session.id, userMessageId: question.id, turnId: answer.id, duplicate: false };
}

function start(
  deps: TurnDeps,
  user: UserRow,
  session: SessionRow,
  question: MessageRow,
  answer: MessageRow,
  options: {
    reservation: TurnReservation;
    isNewSession: boolean;
    notebookContext?: ChatSendPayload['context'];
    kind: TurnKind;
  },
) {
  const turn = deps.activeTurns.start({
    turnId: answer.id,
    sessionId: session.id,
    userId: user.id,
  });
  // Deferred so the caller's ack reaches the client before `chat:turn`.
  setImmediate(() => {
    runTurn(deps, { turn, user, session, question, answer, ...options }).catch((error: unknown) =>
      deps.logger.error({ err: error, turnId: turn.turnId }, 'turn crashed'),
    );
  });
}

/** Stops the running answer; the partial text is kept and ends as `interrupted`. */
export function stopTurn(deps: TurnDeps, user: UserRow, payload: ChatStopPayload): void {
  if (deps.activeTurns.stop(user.id, payload.sessionId, payload.turnId)) return;
  // Not running here: its replica (if any) stops it; the terminal event reaches us through Redis.
  deps.relay?.stopElsewhere({
    userId: user.id,
    sessionId: payload.sessionId,
    turnId: payload.turnId,
  });
}

/**
 * A reconnecting client asks for what it missed of a turn. From memory when this process runs
 * it; from the database once it has ended (the terminal event carries the whole text).
 */
export async function resumeTurn(
  deps: TurnDeps,
  user: UserRow,
  payload: ChatResumePayload,
  send: ReplayEmitter,
): Promise<ChatResumeAck> {
  const request = { userId: user.id, turnId: payload.turnId, afterSeq: payload.afterSeq };
  // Run here, or (with several replicas) by the replica that started it.
  const replay =
    deps.activeTurns.replay(request.userId, request.turnId, request.afterSeq) ??
    (await deps.relay?.replayFromOwner(request));
  if (replay) {
    for (const delta of replay.deltas) send('chat:delta', delta);
    const { terminal } = replay;
    if (terminal?.name === 'chat:done') send('chat:done', terminal.payload);
    if (terminal?.name === 'chat:error') send('chat:error', terminal.payload);
    return { ok: true, state: terminal ? 'finished' : 'streaming' };
  }
  let answer = await findOwnedMessage(deps.db, user.id, payload.turnId);
  if (!answer || answer.sessionId !== payload.sessionId) throw messageNotFound();
  if (answer.status === 'streaming') {
    // Not running here: if its process died, end it now so the student can go on.
    await releaseOrphanedAnswer(deps, answer.sessionId);
    answer = (await findOwnedMessage(deps.db, user.id, payload.turnId))!;
    // Still streaming with several replicas: another one is writing it, and its live deltas
    // reach this socket through Redis (if that replica dies, the orphan sweep ends it with a
    // terminal event).
    if (answer.status === 'streaming')
      return { ok: true, state: deps.relay ? 'streaming' : 'unknown' };
  }
  if (answer.status === 'error' || answer.errorCode) {
    send('chat:error', {
      sessionId: answer.sessionId,
      turnId: answer.id,
      messageId: answer.id,
      content: answer.content,
      code: answer.errorCode ?? 'ai.provider_unavailable',
      message: 'The tutor could not finish this answer. Press retry.',
      retryable: true,
    });
  } else {
    send('chat:done', {
      sessionId: answer.sessionId,
      turnId: answer.id,
      messageId: answer.id,
      status: answer.status === 'interrupted' ? 'interrupted' : 'complete',
      content: answer.content,
      usage: { inputTokens: answer.inputTokens ?? 0, outputTokens: answer.outputTokens ?? 0 },
    });
  }
  return { ok: true, state: 'finished' };
}

/**
 * Graceful shutdown: stop every running answer so each is stored as `interrupted` with its text
 * and its client gets a terminal event, then resolve (or give up after `timeoutMs`).
 */
export async function interruptRunningTurns(deps: TurnDeps, timeoutMs: number): Promise<void> {
  const running = deps.activeTurns.running();
  for (const turn of running) turn.abort.abort();
  const deadline = Date.now() + timeoutMs;
  while (deps.activeTurns.running().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
