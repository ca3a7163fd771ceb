import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { answerOwners, chatSessions, messages } from '../../db/schema/index.js';
import { preparedPerDb, UNNAMED_STATEMENT } from '../../db/prepared.js';
import { jsonbOrNull } from '../../db/raw.js';
import { sessionColumns, type NewSessionRow, type SessionRow } from './sessions.repository.js';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert;

export async function findMessageByClientId(
  db: Db,
  userId: string,
  clientMessageId: string,
): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.clientMessageId, clientMessageId)));
  return row;
}

export async function findOwnedMessage(
  db: Db,
  userId: string,
  messageId: string,
): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.userId, userId)));
  return row;
}

export async function findAnswerTo(db: Db, questionId: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.replyToId, questionId), isNull(messages.replacedAt)))
    .orderBy(desc(messages.seq))
    .limit(1);
  return row;
}

export async function insertMessage(db: Db, values: NewMessageRow): Promise<MessageRow> {
  const [row] = await db.insert(messages).values(values).returning();
  return row!;
}

/**
 * A question and its `streaming` placeholder answer in one statement (one round trip before the
 * first token instead of two). The question's id is made here so the answer can point at it;
 * rows take their `seq` in the order given, so the question comes first.
 */
interface QuestionInput {
  sessionId: string;
  userId: string;
  content: string;
  clientMessageId: string;
  createdAt: Date;
  /** Chosen beforehand when the answer call starts beside this INSERT (provisional-turn.ts). */
  ids?: { questionId: string; answerId: string };
  /** The process that will write the answer (answer-leases.ts). */
  ownerId?: string | undefined;
}

export async function insertQuestionWithAnswer(
  db: Db,
  input: QuestionInput,
): Promise<{ question: MessageRow; answer: MessageRow }> {
  const { rows, questionId } = questionWithAnswerValues(input);
  return pickQuestionAndAnswer(await db.insert(messages).values(rows).returning(), questionId);
}

/**
 * A turn's question and placeholder answer stored with their conversation in one statement: the
 * conversation created (`newSession`, under `input.sessionId`) or moved to the top of the list.
 * One round trip and one pool checkout, all or nothing like the transaction it replaces (the
 * messages' reference to a session created beside them is checked at the statement's end).
 */
export async function insertTurn(
  db: Db,
  input: QuestionInput & { newSession?: Omit<NewSessionRow, 'id'> | undefined },
): Promise<{ session: SessionRow; question: MessageRow; answer: MessageRow }> {
  const { newSession, ...question } = input;
  const { rows, questionId } = questionWithAnswerValues(question);
  const now = input.createdAt;
  const session = db.$with('session').as(
    newSession
      ? db
          .insert(chatSessions)
          .values({ ...newSession, id: input.sessionId })
          .returning(sessionColumns)
      : db
          .update(chatSessions)
          .set({ lastMessageAt: now, updatedAt: now })
          .where(eq(chatSessions.id, input.sessionId))
          .returning(sessionColumns),
  );
  const stored = db.$with('stored').as(db.insert(messages).values(rows).returning());
  const joined = await db.with(session, stored).select().from(stored).crossJoin(session);
  const found = joined[0]?.session;
  if (!found) throw new Error('a turn was stored without its conversation');
  return {
    session: found,
    ...pickQuestionAndAnswer(
      joined.map((row) => row.stored),
      questionId,
    ),
  };
}

function questionWithAnswerValues(input: QuestionInput) {
  const { ids, ownerId, ...values } = input;
  const questionId = ids?.questionId ?? randomUUID();
  const { content, clientMessageId, ...common } = values;
  const rows: NewMessageRow[] = [
    { ...common, id: questionId, role: 'user', status: 'complete', content, clientMessageId },
    {
      ...common,
      ...(ids ? { id: ids.answerId } : {}),
      role: 'assistant',
      status: 'streaming',
      replyToId: questionId,
      ownerId,
    },
  ];
  return { rows, questionId };
}

function pickQuestionAndAnswer(rows: MessageRow[], questionId: string) {
  const question = rows.find((row) => row.id === questionId);
  const answer = rows.find((row) => row.id !== questionId);
  if (!question || !answer) throw new Error('a question and its answer were not both stored');
  return { question, answer };
}

/** Visible messages, newest page first in storage order; returned oldest → newest. */
export async function listVisibleMessages(
  db: Db,
  sessionId: string,
  options: { beforeSeq?: number | undefined; limit: number },
): Promise<MessageRow[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.sessionId, sessionId),
        isNull(messages.replacedAt),
        options.beforeSeq ? lt(messages.seq, options.beforeSeq) : undefined,
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(options.limit);
  return rows.reverse();
}

/** A whole conversation as its student sees it, oldest first (capped): an admin's transcript. */
export function listTranscriptMessages(db: Db, sessionId: string): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), isNull(messages.replacedAt)))
    .orderBy(asc(messages.seq))
    .limit(2000);
}

/** Visible messages after `afterSeq` (exclusive), oldest first: the context window source. */
export async function listVisibleMessagesAfter(
  db: Db,
  sessionId: string,
  afterSeq: number,
): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.sessionId, sessionId),
        isNull(messages.replacedAt),
        gt(messages.seq, afterSeq),
      ),
    )
    .orderBy(asc(messages.seq));
}

export async function findLastVisibleQuestion(
  db: Db,
  sessionId: string,
): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.sessionId, sessionId),
        eq(messages.role, 'user'),
        isNull(messages.replacedAt),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(1);
  return row;
}

export async function hasStreamingAnswer(db: Db, sessionId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), eq(messages.status, 'streaming')))
    .limit(1);
  return Boolean(row);
}

export async function updateMessage(
  db: Db,
  messageId: string,
  patch: Partial<Omit<NewMessageRow, 'id' | 'seq' | 'sessionId' | 'userId'>>,
): Promise<void> {
  await db.update(messages).set(patch).where(eq(messages.id, messageId));
}

export async function markReplaced(db: Db, messageIds: string[], now: Date): Promise<void> {
  for (const id of messageIds) {
    await db.update(messages).set({ replacedAt: now }).where(eq(messages.id, id));
  }
}

/** Questions sent by the user since `since` (the per-minute turn limit). */
/** What a send checks before it may start a turn (`findSendChecks`). */
export interface SendChecks {
  /** The conversation, when one was named and the student owns it. */
  session: SessionRow | undefined;
  /** The student's earlier message with this client id: the send was made before. */
  earlier: Pick<MessageRow, 'id' | 'role' | 'sessionId' | 'replyToId'> | undefined;
  /** The student's questions since `since` (the rate limit's window). */
  recentQuestions: number;
}

/**
 * A send's own checks in one statement, so one pool checkout and one round trip stand before
 * the turn instead of three: the named conversation (only the student's own, as
 * `findOwnedSession`), an earlier message with the same client id (as `findMessageByClientId`),
 * and the questions counted for the rate limit (as `countQuestionsSince`).
 */
export async function findSendChecks(
  db: Db,
  input: { userId: string; sessionId?: string | undefined; clientMessageId: string; since: Date },
): Promise<SendChecks> {
  const [row] = await sendChecksOn(db).execute({
    userId: input.userId,
    // No conversation yet: `id = null` joins nothing, as no conversation found.
    sessionId: input.sessionId ?? null,
    clientMessageId: input.clientMessageId,
    since: input.since.toISOString(),
  });
  return {
    session: row?.session ?? undefined,
    earlier: row?.earlier ?? undefined,
    recentQuestions: Number(row?.recentQuestions ?? 0),
  };
}

/** Every send runs it: built once, run with its values (db/prepared.ts). */
const sendChecksOn = preparedPerDb((db) => {
  const userId = sql.placeholder('userId');
  const earlier = db
    .select({
      id: messages.id,
      role: messages.role,
      sessionId: messages.sessionId,
      replyToId: messages.replyToId,
    })
    .from(messages)
    .where(
      and(
        eq(messages.userId, userId),
        eq(messages.clientMessageId, sql.placeholder('clientMessageId')),
      ),
    )
    .limit(1)
    .as('earlier');
  return db
    .select({
      session: sessionColumns,
      earlier: {
        id: earlier.id,
        role: earlier.role,
        sessionId: earlier.sessionId,
        replyToId: earlier.replyToId,
      },
      recentQuestions: sql<number>`(select count(*)::int from ${messages} where ${and(
        eq(messages.userId, userId),
        eq(messages.role, 'user'),
        gt(messages.createdAt, sql.placeholder('since')),
      )})`,
    })
    .from(sql`(select 1) as one`)
    .leftJoin(
      chatSessions,
      and(eq(chatSessions.id, sql.placeholder('sessionId')), eq(chatSessions.userId, userId)),
    )
    .leftJoinLateral(earlier, sql`true`)
    .prepare(UNNAMED_STATEMENT);
});

export async function countQuestionsSince(db: Db, userId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(messages)
    .where(
      and(eq(messages.userId, userId), eq(messages.role, 'user'), gt(messages.createdAt, since)),
    );
  return Number(row?.count ?? 0);
}

/** Which streaming answers a stale-answer sweep may end. */
export interface StaleAnswerScope {
  /** Only this conversation's. */
  sessionId?: string | undefined;
  /** Answers known to be alive (running in the calling process), never ended here. */
  liveIds?: string[] | undefined;
  /**
   * The calling process's owner id: its own answers that are not in `liveIds` are orphaned
   * whatever its beat says (a turn that ended here without its final write).
   */
  ownerId?: string | undefined;
}

/**
 * Answers still `streaming` whose heartbeat stopped belong to no running turn (the process
 * died): keep their flushed text and mark them interrupted, so the student can retry.
 */
export async function interruptStaleAnswers(
  db: Db,
  now: Date,
  staleBefore: Date,
  scope: StaleAnswerScope = {},
): Promise<number> {
  return (await endStaleAnswers(db, now, staleBefore, scope)).length;
}

/**
 * The same, answering which answers it ended and their text, so their students can be told.
 * An answer is ended only when its own heartbeat and its owner's beat (`answer_owners`) are both
 * older than `staleBefore`: a process too busy to flush its answers on time still beats, and
 * keeps them. Each row is returned to exactly one caller: concurrent sweeps of several replicas
 * never both end (and announce) the same answer.
 */
export async function endStaleAnswers(
  db: Db,
  now: Date,
  staleBefore: Date,
  scope: StaleAnswerScope = {},
): Promise<Array<{ id: string; sessionId: string; userId: string; content: string }>> {
  const { sessionId, liveIds = [], ownerId } = scope;
  const ownerStopped = sql`not exists (select 1 from ${answerOwners}
    where ${answerOwners.id} = ${messages.ownerId} and ${answerOwners.beatAt} >= ${staleBefore.toISOString()}::timestamptz)`;
  return db
    .update(messages)
    .set({ status: 'interrupted', errorCode: 'ai.interrupted', completedAt: now })
    .where(
      and(
        eq(messages.status, 'streaming'),
        lt(sql`coalesce(${messages.heartbeatAt}, ${messages.createdAt})`, staleBefore),
        ownerId ? or(eq(messages.ownerId, ownerId), ownerStopped) : ownerStopped,
        sessionId ? eq(messages.sessionId, sessionId) : undefined,
        liveIds.length > 0 ? notInArray(messages.id, liveIds) : undefined,
      ),
    )
    .returning({
      id: messages.id,
      sessionId: messages.sessionId,
      userId: messages.userId,
      content: messages.content,
    });
}

/**
 * This process is alive (it writes the answers it owns): one row, beaten every second. Its time
 * comes from the same clock as the answers' heartbeats, so both are judged alike.
 */
export async function beatAnswerOwner(db: Db, ownerId: string, now: Date): Promise<void> {
  await db
    .insert(answerOwners)
    .values({ id: ownerId, beatAt: now })
    .onConflictDoUpdate({ target: answerOwners.id, set: { beatAt: now } });
}

/** Rows of processes gone for long (every start adds one); no answer can still need them. */
export async function forgetAnswerOwnersBefore(db: Db, before: Date): Promise<void> {
  await db.delete(answerOwners).where(lt(answerOwners.beatAt, before));
}

/** Every visible message of a user, for the data export. */
export async function listMessagesForUser(db: Db, userId: string) {
  return db
    .select({
      sessionId: messages.sessionId,
      role: messages.role,
      content: messages.content,
      status: messages.status,
      hintCue: messages.hintCue,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(and(eq(messages.userId, userId), isNull(messages.replacedAt)))
    .orderBy(asc(messages.seq));
}

/**
 * Flushes the partial text of every answer streaming in this process in one statement, and
 * beats their hearts. One query per tick however many students are waiting; answers that have
 * ended meanwhile are left alone.
 */
export async function flushStreamingAnswers(
  db: Db,
  answers: Array<{ id: string; content: string }>,
  now: Date,
): Promise<void> {
  if (answers.length === 0) return;
  const values = sql.join(
    answers.map((answer) => sql`(${answer.id}::uuid, ${answer.content}::text)`),
    sql`, `,
  );
  await db.execute(sql`
    update ${messages} set content = flushed.content, heartbeat_at = ${now.toISOString()}::timestamptz
    from (values ${values}) as flushed(id, content)
    where ${messages.id} = flushed.id and ${messages.status} = 'streaming'`);
}

/** The last `limit` visible messages before `beforeSeq`, oldest first (the classifier's view). */
/**
 * What an answer's prompt reads of its conversation, in one query: every visible message before
 * `beforeSeq` that comes after the session's running summary or is among the last `recent` ones
 * (both lists are cut from it, context.ts). The summary and its extent are read in the same
 * statement, so the three agree and the session row need not be read first.
 */
export async function listConversationForAnswer(
  db: Db,
  sessionId: string,
  beforeSeq: number,
  recent: number,
): Promise<{ rows: MessageRow[]; summarizedThroughSeq: number; summary: string | null }> {
  const rows = await conversationForAnswerOn(db).execute({
    sessionId,
    beforeSeq,
    recentOffset: recent - 1,
  });
  return {
    rows: rows.flatMap((row) => (row.message ? [row.message] : [])),
    summarizedThroughSeq: rows[0]?.summarizedThroughSeq ?? 0,
    summary: rows[0]?.summary ?? null,
  };
}

/** Every answer's prompt reads it: built once, run with its values (db/prepared.ts). */
const conversationForAnswerOn = preparedPerDb((db) => {
  const sessionId = sql.placeholder('sessionId');
  const beforeSeq = sql.placeholder('beforeSeq');
  const recentFrom = sql`coalesce((select m.seq from ${messages} m
    where m.session_id = ${sessionId} and m.replaced_at is null and m.seq < ${beforeSeq}
    order by m.seq desc offset ${sql.placeholder('recentOffset')} limit 1), 0)`;
  return db
    .select({
      summary: chatSessions.summary,
      summarizedThroughSeq: chatSessions.summarizedThroughSeq,
      message: messages,
    })
    .from(chatSessions)
    .leftJoin(
      messages,
      and(
        eq(messages.sessionId, chatSessions.id),
        isNull(messages.replacedAt),
        lt(messages.seq, beforeSeq),
        sql`(${messages.seq} > coalesce(${chatSessions.summarizedThroughSeq}, 0)
          or ${messages.seq} >= ${recentFrom})`,
      ),
    )
    .where(eq(chatSessions.id, sessionId))
    .orderBy(asc(messages.seq))
    .prepare(UNNAMED_STATEMENT);
});

/** A session's hint state to store with an answer, if the state is still the one it was planned from. */
export interface PedagogySwap {
  /** The stored state the turn was planned from (`chat_sessions.pedagogy` as read). */
  expected: unknown;
  /** The state the completed turn leaves. */
  next: unknown;
}

/**
 * Stores a completed answer and moves its session to the top of the list, in one statement:
 * one pool connection and one round trip at the end of every turn instead of two, and the two
 * can never disagree. Setting the same values twice is harmless, so it may be retried.
 *
 * With `pedagogy`, the session's hint state moves in the same statement when nothing changed it
 * since the turn read it (a compare-and-swap: no lock, no transaction of its own). Returns
 * whether the session now holds `pedagogy.next`; false means another write came between (a late
 * classification, another turn), and the caller commits the level the locked way. A retry
 * after a lost reply finds `next` already stored and says true.
 */
export async function updateCompletedAnswer(
  db: Db,
  answerId: string,
  patch: Partial<Omit<NewMessageRow, 'id' | 'seq' | 'sessionId' | 'userId'>>,
  now: Date,
  pedagogy?: PedagogySwap,
): Promise<boolean> {
  const ended = db
    .$with('ended')
    .as(
      db
        .update(messages)
        .set(patch)
        .where(eq(messages.id, answerId))
        .returning({ sessionId: messages.sessionId }),
    );
  const next = pedagogy ? jsonbOrNull(pedagogy.next) : undefined;
  const touched = await db
    .with(ended)
    .update(chatSessions)
    .set({
      lastMessageAt: now,
      updatedAt: now,
      ...(pedagogy && {
        pedagogy: sql`case when ${chatSessions.pedagogy} is not distinct from ${jsonbOrNull(pedagogy.expected)}
          then ${next} else ${chatSessions.pedagogy} end`,
      }),
    })
    .where(inArray(chatSessions.id, db.select({ id: ended.sessionId }).from(ended)))
    .returning({
      isPedagogyStored: next
        ? sql<boolean>`${chatSessions.pedagogy} is not distinct from ${next}`
        : sql<boolean>`false`,
    });
  return touched[0]?.isPedagogyStored ?? false;
}
