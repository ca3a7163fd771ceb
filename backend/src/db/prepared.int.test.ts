import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserAllowance } from '../modules/usage/allowances.repository.js';
import { createMigratedTestDatabase, testServerUrl, type TestDatabase } from '../test/database.js';
import { openDatabase, type Database } from './client.js';
import { selectRows } from './raw.js';

/**
 * A pooler in transaction mode (docs/kubernetes.md) may run each query on another server
 * connection: a statement prepared under a name on one is missing on the next. The hot queries
 * are built once here but must not leave named statements on the server.
 */
describe.skipIf(!testServerUrl())('prepared queries on PostgreSQL', () => {
  let migrated: TestDatabase;
  let oneConnection: Database;
  beforeAll(async () => {
    migrated = await createMigratedTestDatabase();
    oneConnection = openDatabase({ url: migrated.url!, dataDir: 'unused', poolMax: 1 });
  });
  afterAll(async () => {
    await oneConnection?.close();
    await migrated?.drop();
  });

  it('leave no named statement on the connection they ran on', async () => {
    expect(await findUserAllowance(oneConnection.db, randomUUID())).toBeUndefined();
    expect(await findUserAllowance(oneConnection.db, randomUUID())).toBeUndefined();
    const named = await selectRows<{ name: string }>(
      oneConnection.db,
      sql`select name from pg_prepared_statements`,
    );
    expect(named).toEqual([]);
  });
});
