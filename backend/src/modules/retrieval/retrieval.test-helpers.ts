import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { readModuleFolder, seedModule } from '../learning/starter-module.js';
import { createTestClock } from '../../test/clock.js';
import { createMigratedTestDatabase } from '../../test/database.js';
import type { RetrievalDeps } from './retrieval.types.js';
import { notebookExercises } from '../exercises/notebook-exercises.js';

export const STARTER_DIR = new URL('../../../content/starter-module', import.meta.url).pathname;

/** A migrated database with the starter module loaded, for retrieval tests. */
export async function createRetrievalTestDatabase() {
  const testDb = await createMigratedTestDatabase();
  const clock = createTestClock();
  await seedModule(
    testDb.database.db,
    await readModuleFolder(STARTER_DIR),
    clock,
    notebookExercises,
  );
  const deps: RetrievalDeps = {
    db: testDb.database.db,
    clock,
    logger: pino({ level: process.env.HINTBOOK_TEST_LOG ?? 'silent' }),
  };
  return { ...testDb, deps };
}

export async function insertUser(db: Db, name: string): Promise<string> {
  const id = randomUUID();
  await db.insert(users).values({
    id,
    email: `${name}-${id.slice(0, 8)}@example.test`,
    username: `${name}-${id.slice(0, 8)}`,
    passwordHash: 'not-a-real-hash',
  });
  return id;
}
