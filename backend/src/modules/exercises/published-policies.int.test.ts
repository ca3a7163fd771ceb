import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modules } from '../../db/schema/index.js';
import { createMigratedTestDatabase, type TestDatabase } from '../../test/database.js';
import { createPublishedPolicies } from './published-policies.js';

const OFF_WINDOW = {
  mode: 'on',
  windows: [
    {
      label: 'the exam',
      start: '2026-01-01T09:00',
      end: '2026-01-01T11:00',
      timeZone: 'UTC',
      mode: 'off',
    },
  ],
};

let testDb: TestDatabase;
let moduleId: string;
beforeAll(async () => {
  testDb = await createMigratedTestDatabase();
});
afterAll(() => testDb.drop());
beforeEach(async () => {
  await testDb.database.db.delete(modules);
  const [row] = await testDb.database.db
    .insert(modules)
    .values({ slug: 'exam', title: 'Exam', published: true, aiPolicy: { mode: 'on' } })
    .returning({ id: modules.id });
  moduleId = row!.id;
});

/** What another replica's admin request does: a write this process never hears of. */
const writeElsewhere = (aiPolicy: unknown) =>
  testDb.database.db.update(modules).set({ aiPolicy }).where(eq(modules.id, moduleId));

describe('the process copy of published module policies', () => {
  it('answers from its copy until that is older than the TTL, then reads again', async () => {
    let now = 0;
    const policies = createPublishedPolicies({
      db: testDb.database.db,
      now: () => now,
      ttlMs: 5_000,
    });
    expect((await policies.current()).map((row) => row.aiPolicy)).toEqual([{ mode: 'on' }]);
    await writeElsewhere(OFF_WINDOW);
    now = 4_999;
    expect((await policies.current()).map((row) => row.aiPolicy)).toEqual([{ mode: 'on' }]);
    now = 5_000;
    expect((await policies.current()).map((row) => row.aiPolicy)).toEqual([OFF_WINDOW]);
  });

  it('reads again at once after an invalidation (an admin write in this process)', async () => {
    const policies = createPublishedPolicies({ db: testDb.database.db, now: () => 0 });
    await policies.current();
    await writeElsewhere(OFF_WINDOW);
    policies.invalidate();
    expect((await policies.current()).map((row) => row.aiPolicy)).toEqual([OFF_WINDOW]);
  });

  it('does not keep a read that started before an invalidation', async () => {
    const policies = createPublishedPolicies({ db: testDb.database.db, now: () => 0 });
    const before = policies.current();
    // The invalidation comes while that read is still out; the write it announces follows.
    policies.invalidate();
    await writeElsewhere(OFF_WINDOW);
    // On PGlite (one statement at a time) the read ran before the write: it is out of date.
    await before;
    expect((await policies.current()).map((row) => row.aiPolicy)).toEqual([OFF_WINDOW]);
  });

  it('leaves out unpublished modules and modules without a policy', async () => {
    await testDb.database.db.insert(modules).values([
      { slug: 'draft', title: 'Draft', published: false, aiPolicy: OFF_WINDOW },
      { slug: 'plain', title: 'Plain', published: true },
    ]);
    const policies = createPublishedPolicies({ db: testDb.database.db });
    expect((await policies.current()).map((row) => row.moduleId)).toEqual([moduleId]);
  });
});
