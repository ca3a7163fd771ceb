import { sql } from 'drizzle-orm';
import type { HealthResponse } from '@hintbook/contracts';
import type { Database } from '../../db/client.js';
import { countAppliedMigrations } from '../../db/migrate.js';

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Readiness: the database answers and has every shipped migration. A restarting database gives
 * `unavailable` within the timeout instead of hanging the load balancer's probe.
 */
export async function checkReadiness(
  database: Database,
  migrationsExpected: number,
): Promise<HealthResponse> {
  const base = { driver: database.driver, migrationsExpected };
  try {
    const applied = await withTimeout(
      (async () => {
        await database.db.execute(sql`select 1`);
        return countAppliedMigrations(database.db);
      })(),
      PROBE_TIMEOUT_MS,
    );
    return {
      status: applied >= migrationsExpected ? 'ok' : 'unavailable',
      database: { ...base, reachable: true, migrationsApplied: applied },
    };
  } catch {
    return { status: 'unavailable', database: { ...base, reachable: false, migrationsApplied: 0 } };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
