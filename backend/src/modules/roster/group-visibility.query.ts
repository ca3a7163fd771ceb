import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { classGroupMembers, moduleGroups } from '../../db/schema/index.js';

/**
 * True when the module (the column or expression given) is for everyone, or for a group the user
 * is in. Every student-facing read of modules applies it beside `published`: lists, notebooks,
 * exercises, course passages and AI policies.
 */
export function moduleVisibleToUser(
  moduleId: SQL | SQL.Aliased | unknown,
  /** One user's id, or a column (`users.id`) to ask it of every row, e.g. to count a class. */
  userId: string | AnyColumn,
): SQL {
  return sql`(not exists (select 1 from ${moduleGroups} where ${moduleGroups.moduleId} = ${moduleId})
    or exists (select 1 from ${moduleGroups} inner join ${classGroupMembers}
      on ${classGroupMembers.groupId} = ${moduleGroups.groupId}
      where ${moduleGroups.moduleId} = ${moduleId} and ${classGroupMembers.userId} = ${userId}))`;
}
