import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/raw.js';
import { searchChunksFullText } from './retrieval.repository.js';
import { createRetrievalTestDatabase, insertUser } from './retrieval.test-helpers.js';

describe('full-text search in a large index', () => {
  let setup: Awaited<ReturnType<typeof createRetrievalTestDatabase>>;
  let student: string;
  beforeAll(async () => {
    setup = await createRetrievalTestDatabase();
    const db = setup.deps.db;
    student = await insertUser(db, 'large');
    const [module] = await selectRows<{ id: string }>(
      db,
      sql`select id from modules where published limit 1`,
    );
    // 6,000 chunks that all say "print" and "list"; three of them also say "zebra".
    await db.execute(sql`
      insert into retrieval_chunks (source_key, position, kind, citation, content, content_hash,
        module_id)
      select 'bulk', n, 'markdown', 'Bulk · Notebook · cell ' || n,
        case when n % 2000 = 0 then 'print the zebra list' else 'print every item of the list' end,
        md5(n::text), ${module!.id}
      from generate_series(1, 6000) as n`);
    await db.execute(sql`analyze retrieval_chunks`);
  });
  afterAll(async () => setup.drop());

  it('ranks only chunks with the question’s rare words, not every chunk sharing its common ones', async () => {
    const hits = await searchChunksFullText(
      setup.deps.db,
      { userId: student, includeOwn: true },
      ['print', 'list', 'zebra'],
      20,
    );
    expect(hits.map((hit) => hit.content)).toEqual([
      'print the zebra list',
      'print the zebra list',
      'print the zebra list',
    ]);
  });

  it('still answers a question made only of common words, from its least common ones', async () => {
    const hits = await searchChunksFullText(
      setup.deps.db,
      { userId: student, includeOwn: true },
      ['print', 'list'],
      20,
    );
    expect(hits).toHaveLength(20);
  });
});
