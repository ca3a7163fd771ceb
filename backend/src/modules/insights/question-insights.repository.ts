import { and, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  chatSessions,
  messages,
  moduleNotebooks,
  modules,
  notebookCopies,
  questionEmbeddings,
  users,
} from '../../db/schema/index.js';

export interface QuestionScope {
  from: Date;
  to: Date;
  /** Only questions asked in this module's notebooks. */
  moduleId?: string | undefined;
}

/**
 * The most recent students' questions in scope, newest first (at most `limit`), with how many
 * there are in all, and each with its cached vector when one exists for `embeddingModel`.
 *
 * Students' questions: their own messages (admins' are left out: they try the tutor, they are
 * not the class), not replaced by an edit or retry, in the range. A question belongs to a
 * module when its chat is about the student's copy of one of the module's notebooks.
 */
export function findStudentQuestions(
  db: Db,
  scope: QuestionScope & { limit: number; embeddingModel: string | undefined },
) {
  const model = scope.embeddingModel;
  return db
    .select({
      messageId: messages.id,
      userId: messages.userId,
      content: messages.content,
      createdAt: messages.createdAt,
      moduleId: modules.id,
      moduleTitle: modules.title,
      cachedHash: questionEmbeddings.contentHash,
      cachedVector: questionEmbeddings.vector,
      // Window functions run before LIMIT: the total in scope, in the same query.
      totalInScope: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.userId))
    .innerJoin(chatSessions, eq(chatSessions.id, messages.sessionId))
    .leftJoin(
      notebookCopies,
      and(
        eq(chatSessions.scope, 'module_notebook'),
        // notebook_id is text (it also holds personal notebook ids): compare as text.
        sql`${notebookCopies.id}::text = ${chatSessions.notebookId}`,
      ),
    )
    .leftJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .leftJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .leftJoin(
      questionEmbeddings,
      and(
        eq(questionEmbeddings.messageId, messages.id),
        model === undefined ? sql`false` : eq(questionEmbeddings.model, model),
      ),
    )
    .where(
      and(
        eq(messages.role, 'user'),
        isNull(messages.replacedAt),
        eq(users.isAdmin, false),
        gte(messages.createdAt, scope.from),
        lt(messages.createdAt, scope.to),
        sql`btrim(${messages.content}) <> ''`,
        scope.moduleId ? eq(modules.id, scope.moduleId) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(scope.limit);
}

export type StudentQuestionRow = Awaited<ReturnType<typeof findStudentQuestions>>[number];

export interface QuestionVectorRow {
  messageId: string;
  model: string;
  contentHash: string;
  vector: number[];
}

/** Stores (or replaces) question vectors; concurrent page views may race, the last one wins. */
export async function upsertQuestionEmbeddings(db: Db, rows: QuestionVectorRow[], now: Date) {
  if (rows.length === 0) return;
  await db
    .insert(questionEmbeddings)
    .values(rows.map((row) => ({ ...row, createdAt: now })))
    .onConflictDoUpdate({
      target: questionEmbeddings.messageId,
      set: {
        model: sql`excluded.model`,
        contentHash: sql`excluded.content_hash`,
        vector: sql`excluded.vector`,
        createdAt: now,
      },
    });
}

export async function findModuleTitle(db: Db, moduleId: string) {
  const [row] = await db
    .select({ id: modules.id, title: modules.title })
    .from(modules)
    .where(eq(modules.id, moduleId));
  return row;
}
