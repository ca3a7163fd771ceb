import { and, asc, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  classGroupMembers,
  messages,
  moduleNotebooks,
  modules,
  notebookCopies,
  usageEvents,
  userAllowances,
  users,
} from '../../db/schema/index.js';

export interface UserListFilter {
  q?: string | undefined;
  status: 'all' | 'active' | 'disabled';
  activeSince?: Date | undefined;
  /** Only members of this class group. */
  groupId?: string | undefined;
  sort: 'last_active' | 'usage' | 'created' | 'email';
  limit: number;
  offset: number;
  monthStart: Date;
}

const lastQuestionAt = sql<Date | null>`(select max(${messages.createdAt}) from ${messages} where ${messages.userId} = ${users.id} and ${messages.role} = 'user')`;
const lastActiveAt = sql<Date | null>`greatest(${users.lastLoginAt}, ${lastQuestionAt}, ${users.createdAt})`;

function summaryColumns(monthStart: Date) {
  const since = sql`${usageEvents.createdAt} >= ${monthStart.toISOString()}::timestamptz`;
  return {
    id: users.id,
    email: users.email,
    username: users.username,
    isAdmin: users.isAdmin,
    disabledAt: users.disabledAt,
    createdAt: users.createdAt,
    lastLoginAt: users.lastLoginAt,
    lastActiveAt,
    tokensThisMonth: sql<number>`(select coalesce(sum(${usageEvents.inputTokens} + ${usageEvents.outputTokens}), 0) from ${usageEvents} where ${usageEvents.userId} = ${users.id} and ${since})::bigint`,
    costThisMonthUsd: sql<string>`(select coalesce(sum(${usageEvents.costUsd}), 0) from ${usageEvents} where ${usageEvents.userId} = ${users.id} and ${since})`,
    notebooksStarted: sql<number>`(select count(*) from ${notebookCopies} where ${notebookCopies.userId} = ${users.id} and ${notebookCopies.status} <> 'not_started')::int`,
    notebooksCompleted: sql<number>`(select count(*) from ${notebookCopies} where ${notebookCopies.userId} = ${users.id} and ${notebookCopies.status} = 'completed')::int`,
    allowanceDaily: userAllowances.dailyTokens,
    allowanceWeekly: userAllowances.weeklyTokens,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

function whereOf(
  filter: Pick<UserListFilter, 'q' | 'status' | 'activeSince' | 'groupId'>,
): SQL | undefined {
  const conditions: Array<SQL | undefined> = [];
  const q = filter.q?.trim();
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    conditions.push(or(ilike(users.email, pattern), ilike(users.username, pattern)));
  }
  if (filter.status === 'active') conditions.push(isNull(users.disabledAt));
  if (filter.status === 'disabled') conditions.push(isNotNull(users.disabledAt));
  if (filter.activeSince) {
    conditions.push(sql`${lastActiveAt} >= ${filter.activeSince.toISOString()}::timestamptz`);
  }
  if (filter.groupId) {
    conditions.push(
      sql`exists (select 1 from ${classGroupMembers} where ${classGroupMembers.userId} = ${users.id} and ${classGroupMembers.groupId} = ${filter.groupId})`,
    );
  }
  return and(...conditions);
}

export type UserSummaryRow = Awaited<ReturnType<typeof findUserSummaries>>[number];

export function findUserSummaries(db: Db, filter: UserListFilter) {
  const columns = summaryColumns(filter.monthStart);
  const order = {
    last_active: [desc(sql`${lastActiveAt}`), asc(users.id)],
    usage: [desc(sql`${columns.tokensThisMonth}`), asc(users.id)],
    created: [desc(users.createdAt), asc(users.id)],
    email: [asc(users.email)],
  }[filter.sort];
  return db
    .select(columns)
    .from(users)
    .leftJoin(userAllowances, eq(userAllowances.userId, users.id))
    .where(whereOf(filter))
    .orderBy(...order)
    .limit(filter.limit)
    .offset(filter.offset);
}

export async function countUsers(
  db: Db,
  filter: Pick<UserListFilter, 'q' | 'status' | 'activeSince' | 'groupId'>,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(whereOf(filter));
  return Number(row?.count ?? 0);
}

export async function findUserSummary(db: Db, userId: string, monthStart: Date) {
  const [row] = await db
    .select(summaryColumns(monthStart))
    .from(users)
    .leftJoin(userAllowances, eq(userAllowances.userId, users.id))
    .where(eq(users.id, userId));
  return row;
}

/** Tokens and cost of one user since each instant. */
export async function sumUserUsageSince(db: Db, userId: string, since: Date) {
  const [row] = await db
    .select({
      tokens: sql<number>`coalesce(sum(${usageEvents.inputTokens} + ${usageEvents.outputTokens}), 0)::bigint`,
      costUsd: sql<string>`coalesce(sum(${usageEvents.costUsd}), 0)`,
    })
    .from(usageEvents)
    .where(
      and(
        eq(usageEvents.userId, userId),
        sql`${usageEvents.createdAt} >= ${since.toISOString()}::timestamptz`,
      ),
    );
  return { tokens: Number(row?.tokens ?? 0), costUsd: Number(row?.costUsd ?? 0) };
}

export function findUserProgress(db: Db, userId: string) {
  return db
    .select({
      moduleId: modules.id,
      moduleTitle: modules.title,
      notebookId: moduleNotebooks.id,
      notebookTitle: moduleNotebooks.title,
      status: notebookCopies.status,
      updatedAt: notebookCopies.updatedAt,
      sourceVersion: notebookCopies.sourceVersion,
      originalVersion: moduleNotebooks.version,
    })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(modules, eq(modules.id, moduleNotebooks.moduleId))
    .where(eq(notebookCopies.userId, userId))
    .orderBy(asc(modules.position), asc(moduleNotebooks.position));
}

export async function setUserDisabled(db: Db, userId: string, disabledAt: Date | null, now: Date) {
  const [row] = await db
    .update(users)
    .set({
      disabledAt,
      updatedAt: now,
      // Disabling ends every access token at once; re-enabling needs a fresh sign-in anyway.
      ...(disabledAt ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {}),
    })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return row !== undefined;
}
