import type { Db } from '../../db/client.js';
import { contentSeeds } from '../../db/schema/index.js';

/** Claims a seed key; false when some boot (this one or another replica) already claimed it. */
export async function claimContentSeed(db: Db, key: string, now: Date): Promise<boolean> {
  const claimed = await db
    .insert(contentSeeds)
    .values({ key, seededAt: now })
    .onConflictDoNothing()
    .returning({ key: contentSeeds.key });
  return claimed.length > 0;
}
