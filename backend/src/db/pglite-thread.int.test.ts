import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { wrapPglite, type Database } from './client.js';
import { isConnectionError, isUniqueViolation } from './errors.js';
import { PgliteThread } from './pglite-thread.js';
import { selectRows } from './raw.js';
import { withTransaction } from './transaction.js';

// The embedded database as the product opens it (`openDatabase` without a URL): on its thread.
describe('the embedded database on its own thread', () => {
  let thread: PgliteThread;
  let database: Database;

  beforeAll(async () => {
    thread = new PgliteThread('memory://');
    database = wrapPglite(thread);
    await database.db.execute(sql`create table notes (id int primary key, body text not null)`);
  });
  afterAll(async () => {
    await database.close();
  });

  it('keeps the event loop turning while a long statement runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const started = performance.now();
    const [row] = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from generate_series(1, 3000000) as g, lateral (select md5(g::text)) as h`,
    );
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(row?.n).toBe(3_000_000);
    // On the event loop the timer could not fire once until the statement ended.
    expect(elapsed).toBeGreaterThan(100);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 5 / 4));
  });

  it("keeps Postgres' error fields across the thread (a unique violation is one)", async () => {
    await database.db.execute(sql`insert into notes values (1, 'first')`);
    const duplicate = await database.db
      .execute(sql`insert into notes values (1, 'again')`)
      .catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate, 'notes_pkey')).toBe(true);
  });

  it('commits a transaction that resolves and rolls back one that throws, with its error', async () => {
    await withTransaction(database.db, async (tx) => {
      await tx.execute(sql`insert into notes values (2, 'kept')`);
    });
    const failure = new Error('changed my mind');
    await expect(
      withTransaction(database.db, async (tx) => {
        await tx.execute(sql`insert into notes values (3, 'dropped')`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    const rows = await selectRows<{ id: number }>(
      database.db,
      sql`select id from notes order by id`,
    );
    expect(rows.map((row) => row.id)).toEqual([1, 2]);
  });

  it('runs a statement from outside a transaction after it, not inside it', async () => {
    let releaseTx!: () => void;
    const held = new Promise<void>((resolve) => (releaseTx = resolve));
    const order: string[] = [];
    const transaction = withTransaction(database.db, async (tx) => {
      await tx.execute(sql`insert into notes values (4, 'in the transaction')`);
      await held;
      order.push('transaction ends');
      await tx.execute(sql`delete from notes where id = 4`);
    });
    // Give the transaction time to begin and insert before the outside read is sent.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outside = selectRows<{ id: number }>(
      database.db,
      sql`select id from notes where id = 4`,
    ).then((rows) => {
      order.push('outside read');
      return rows;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseTx();
    await transaction;
    expect(await outside).toEqual([]);
    expect(order).toEqual(['transaction ends', 'outside read']);
  });

  it('refuses a parser that would change values, which cannot cross to the thread', async () => {
    await expect(
      thread.query('select now()', [], { parsers: { 1184: (value) => new Date(value) } }),
    ).rejects.toThrow(/only pass-through parsers cross/);
  });

  it('fails statements with the reason a data directory cannot be opened', async () => {
    // A file where the folder should be: PGlite never starts, and each statement says why.
    const broken = new PgliteThread('/dev/null/hintbook');
    await expect(broken.query('select 1')).rejects.toThrow(/ENOTDIR|not a directory/i);
    await expect(broken.exec('select 1')).rejects.toThrow(/ENOTDIR|not a directory/i);
    await broken.close();
  });

  it('starts the thread again on the same folder when it dies: in flight fails as a lost connection, the data stays', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'hintbook-pglite-thread-'));
    const onDisk = new PgliteThread(folder);
    try {
      await onDisk.exec('create table kept (n int); insert into kept values (1);');
      const inFlight = onDisk.query(
        'select count(*) from generate_series(1, 20000000) as g, lateral (select md5(g::text)) as h',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The thread dies as it would if PGlite's WebAssembly aborted.
      await threadOf(onDisk).terminate();
      const lost = await inFlight.catch((error: unknown) => error);
      expect(isConnectionError(lost)).toBe(true);
      expect((await onDisk.query<{ n: number }>('select n from kept')).rows).toEqual([{ n: 1 }]);
    } finally {
      await onDisk.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps a database in memory stopped once its thread dies (nothing to start again from)', async () => {
    const inMemory = new PgliteThread('memory://');
    await inMemory.query('select 1');
    await threadOf(inMemory).terminate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await inMemory.query('select 1').catch((caught: unknown) => caught);
    expect(isConnectionError(error)).toBe(true);
    expect(String(error)).toMatch(/embedded database stopped/);
  });

  it('fails every later statement with a plain reason once closed', async () => {
    const other = new PgliteThread('memory://');
    await other.query('select 1');
    await other.close();
    await expect(other.query('select 1')).rejects.toThrow(/closed/);
  });
});

/** The worker behind a PgliteThread (private there: only a test kills it). */
function threadOf(thread: PgliteThread): Worker {
  return (thread as unknown as { worker: Worker }).worker;
}
