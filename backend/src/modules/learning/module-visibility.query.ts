import { sql, type SQL } from 'drizzle-orm';
import { modules } from '../../db/schema/index.js';
import { moduleVisibleToUser } from '../roster/group-visibility.query.js';

/**
 * The ids of the modules a student sees (published, and for everyone or one of their groups),
 * as a subquery. Retrieval's search filters passages with it inside its single SQL statement,
 * so learning's rule of who sees a module stays written here, once.
 */
export function visibleModuleIds(userId: string): SQL {
  return sql`select ${modules.id} from ${modules}
    where ${modules.published} and ${moduleVisibleToUser(modules.id, userId)}`;
}
