import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chatSessions, messages, moduleNotebooks, notebookCopies } from '../../db/schema/index.js';
import type { SignedInUser } from '../../test/factories.js';
import type { TestApp } from '../../test/harness.js';
import { asUser } from '../../test/admin.js';
import { buildNotebook, createModuleInDb } from '../learning/learning.test-helpers.js';

const HOUR_MS = 3_600_000;

/** A chat of `user`: general, or about their copy of `moduleNotebookId` (the copy is made). */
export async function createChat(
  db: Db,
  userId: string,
  moduleNotebookId?: string,
): Promise<string> {
  let notebookId: string | null = null;
  if (moduleNotebookId) {
    const [copy] = await db
      .insert(notebookCopies)
      .values({
        userId,
        moduleNotebookId,
        content: buildNotebook(),
        sizeBytes: 100,
        sourceVersion: 1,
      })
      // A second chat about the same notebook reuses the student's copy.
      .onConflictDoUpdate({
        target: [notebookCopies.userId, notebookCopies.moduleNotebookId],
        set: { updatedAt: new Date() },
      })
      .returning({ id: notebookCopies.id });
    notebookId = copy!.id;
  }
  const [session] = await db
    .insert(chatSessions)
    .values({
      userId,
      title: 'Chat',
      scope: moduleNotebookId ? 'module_notebook' : 'general',
      notebookId,
    })
    .returning({ id: chatSessions.id });
  return session!.id;
}

/** A student's question (and, unless told otherwise, the tutor's answer) `hoursAgo` hours ago. */
export async function ask(
  t: TestApp,
  chat: { userId: string; sessionId: string },
  content: string,
  options: { hoursAgo?: number; replaced?: boolean } = {},
) {
  const createdAt = new Date(t.clock().getTime() - (options.hoursAgo ?? 1) * HOUR_MS);
  const [question] = await t.database.db
    .insert(messages)
    .values({
      ...chat,
      role: 'user',
      content,
      createdAt,
      replacedAt: options.replaced ? createdAt : null,
    })
    .returning({ id: messages.id });
  // Answers are never questions, even when they repeat the student's words.
  await t.database.db.insert(messages).values({
    ...chat,
    role: 'assistant',
    content: `What have you tried so far with "${content}"?`,
    replyToId: question!.id,
    createdAt,
  });
  return question!.id;
}

/** A published module with two notebooks; returns its id and its notebooks' ids. */
export async function createModuleWithNotebooks(db: Db) {
  const { moduleId } = await createModuleInDb(db, { notebooks: 2 });
  const notebooks = await db
    .select({ id: moduleNotebooks.id })
    .from(moduleNotebooks)
    .where(eq(moduleNotebooks.moduleId, moduleId))
    .orderBy(moduleNotebooks.position);
  return { moduleId, notebookIds: notebooks.map((notebook) => notebook.id) };
}

export function getInsights(t: TestApp, admin: SignedInUser, query = '') {
  return asUser(t, admin).get(`/api/admin/insights/questions${query ? `?${query}` : ''}`);
}

export interface GroupBody {
  size: number;
  students: number;
  representative: { text: string; moduleTitle: string | null };
  examples: Array<{ text: string }>;
  keywords: string[];
  modules: Array<{ id: string; title: string; questions: number }>;
}

/** Each group's questions, representative first, for compact assertions. */
export function groupTexts(body: { groups: GroupBody[] }): string[][] {
  return body.groups.map((group) => [
    group.representative.text,
    ...group.examples.map((example) => example.text),
  ]);
}
