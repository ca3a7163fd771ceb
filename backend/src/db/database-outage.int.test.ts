import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerThroughApi } from '../test/factories.js';
import { createTestApp, type TestApp } from '../test/harness.js';
import { runOnServer } from '../test/database.js';
import { selectRows } from './raw.js';

// Needs a real server: PGlite lives in-process and cannot be restarted under the app.
const serverUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!serverUrl)(
  'when PostgreSQL drops every connection (a restart or failover)',
  () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('answers 503 database.unavailable or recovers, never crashes, and works again right after', async () => {
      const user = await registerThroughApi(t.app);
      const me = () =>
        request(t.app).get('/api/auth/me').set('Authorization', `Bearer ${user.accessToken}`);
      await me().expect(200);

      // Kill every connection the app holds to its own database, as a server restart would.
      const [{ name } = { name: '' }] = await selectRows<{ name: string }>(
        t.database.db,
        sql`select current_database() as name`,
      );
      await runOnServer(
        serverUrl!,
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
      );

      const during = await me();
      expect([200, 503]).toContain(during.status);
      if (during.status === 503) {
        expect(during.body.error.code).toBe('database.unavailable');
        expect(during.headers['retry-after']).toBe('5');
      }
      await me().expect(200);
      await request(t.app).get('/api/health').expect(200);
    });
  },
);
