import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { preparedPerDb, UNNAMED_STATEMENT } from '../../db/prepared.js';
import { jsonbOrNull, selectRows } from '../../db/raw.js';
import { chatSessions, messages, userPedagogy } from '../../db/schema/index.js';

export type UserPedagogyRow = typeof userPedagogy.$inferSelect;
type UserPedagogyValues = Omit<UserPedagogyRow, 'updatedAt'>;

export async function findUserPedagogy(
  db: Db,
  userId: string,
): Promise<UserPedagogyRow | undefined> {
  const [row] = await userPedagogyOn(db).execute({ userId });
  return row;
}

/** Read before every answer: built once, run with its values (db/prepared.ts). */
const userPedagogyOn = preparedPerDb((db) =>
  db
    .select()
    .from(userPedagogy)
    .where(eq(userPedagogy.userId, sql.placeholder('userId')))
    .prepare(UNNAMED_STATEMENT),
);

export async function upsertUserPedagogy(
  db: Db,
  values: UserPedagogyValues,
  now: Date,
): Promise<void> {
  await db
    .insert(userPedagogy)
    .values({ ...values, updatedAt: now })
    .onConflictDoUpdate({ target: userPedagogy.userId, set: { ...values, updatedAt: now } });
}

/**
 * What a classification is folded into, in one read without locks: the session's hint state,
 * whether an answer is streaming in it, and the student's own state (null before any).
 */
export async function findLearningState(
  db: Db,
  sessionId: string,
  userId: string,
): Promise<{ pedagogy: unknown; isStreaming: boolean; user: UserPedagogyRow | null } | undefined> {
  const [row] = await db
    .select({
      pedagogy: chatSessions.pedagogy,
      isStreaming: sql<boolean>`exists (select 1 from ${messages}
        where ${messages.sessionId} = ${chatSessions.id} and ${messages.status} = 'streaming')`,
      user: userPedagogy,
    })
    .from(chatSessions)
    .leftJoin(userPedagogy, eq(userPedagogy.userId, userId))
    .where(and(eq(chatSessions.id, sessionId), eq(chatSessions.userId, userId)));
  return row;
}

/**
 * Stores what a classification taught, in one statement, if the session's state is still
 * `expected` and no answer streams in it (both as `findLearningState` saw them): the session's
 * new state, and the student's when given. False when something changed in between; nothing is
 * written then.
 */
export async function swapLearntState(
  db: Db,
  change: {
    sessionId: string;
    expected: unknown;
    next: unknown;
    user?: UserPedagogyValues | undefined;
    now: Date;
  },
): Promise<boolean> {
  const { sessionId, user, now } = change;
  const learnt = user
    ? sql`, learnt as (
        insert into user_pedagogy (user_id, effective_programming, effective_maths,
          baseline_programming, baseline_maths, problems_observed, updated_at)
        select ${user.userId}::uuid, ${user.effectiveProgramming}::real, ${user.effectiveMaths}::real,
          ${user.baselineProgramming}::smallint, ${user.baselineMaths}::smallint,
          ${user.problemsObserved}::int,
          ${now.toISOString()}::timestamptz
        from swapped
        on conflict (user_id) do update set
          effective_programming = excluded.effective_programming,
          effective_maths = excluded.effective_maths,
          baseline_programming = excluded.baseline_programming,
          baseline_maths = excluded.baseline_maths,
          problems_observed = excluded.problems_observed,
          updated_at = excluded.updated_at
        returning user_id)`
    : sql``;
  const [row] = await selectRows<{ swapped: number }>(
    db,
    sql`with swapped as (
        update chat_sessions set pedagogy = ${JSON.stringify(change.next)}::jsonb
        where id = ${sessionId}
          and pedagogy is not distinct from ${jsonbOrNull(change.expected)}
          and not exists (select 1 from messages
            where session_id = ${sessionId} and status = 'streaming')
        returning id)${learnt}
      select count(*)::int as swapped from swapped`,
  );
  return (row?.swapped ?? 0) > 0;
}
