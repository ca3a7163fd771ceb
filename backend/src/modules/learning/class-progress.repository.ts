import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { moduleNotebooks, notebookCopies, users } from '../../db/schema/index.js';
import { moduleVisibleToUser } from '../roster/group-visibility.query.js';

/** Who a module is for: active student accounts (not admins) that may see it. */
function audienceOf(moduleId: string) {
  return and(
    isNull(users.disabledAt),
    eq(users.isAdmin, false),
    moduleVisibleToUser(sql`${moduleId}::uuid`, users.id),
  );
}

export async function countModuleAudience(db: Db, moduleId: string): Promise<number> {
  const [row] = await db
    .select({ students: sql<number>`count(*)::int` })
    .from(users)
    .where(audienceOf(moduleId));
  return Number(row?.students ?? 0);
}

/** Per notebook of the module: the audience's copies in progress and completed. */
export function countCopiesByStatus(db: Db, moduleId: string) {
  return db
    .select({
      notebookId: moduleNotebooks.id,
      inProgress: sql<number>`count(*) filter (where ${notebookCopies.status} = 'in_progress')::int`,
      completed: sql<number>`count(*) filter (where ${notebookCopies.status} = 'completed')::int`,
    })
    .from(notebookCopies)
    .innerJoin(moduleNotebooks, eq(moduleNotebooks.id, notebookCopies.moduleNotebookId))
    .innerJoin(users, eq(users.id, notebookCopies.userId))
    .where(and(eq(moduleNotebooks.moduleId, moduleId), audienceOf(moduleId)))
    .groupBy(moduleNotebooks.id);
}
