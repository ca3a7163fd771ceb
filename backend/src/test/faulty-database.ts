import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type pg from 'pg';
import type { Database, Db } from '../db/client.js';
import * as schema from '../db/schema/index.js';

/**
 * Decides, per statement (its SQL text), whether it fails. Called once per statement sent, so a
 * rule can count: "the first two inserts into usage_events".
 */
export type FaultRule = (sqlText: string) => boolean;

/**
 * pg's own error when its pool had no connection to give within `connectionTimeoutMillis`: what
 * an overloaded process meets. Drizzle wraps it as the `cause` of its query error, as it does
 * for the real one.
 */
export function poolTimeout(): Error {
  return new Error('timeout exceeded when trying to connect');
}

/**
 * The same database (either driver), with statements outside transactions failing as `fail`
 * says, before they reach the server, exactly like a pool timeout: nothing was sent, nothing
 * committed. Statements inside transactions run on their own connection and never fail here.
 */
export function withFaults(database: Database, fail: FaultRule): Database {
  const client = (database.db as Db & { $client: object }).$client;
  const faulty = new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== 'query') return (value as (...args: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const [query] = args as [string | { text: string }];
        const text = typeof query === 'string' ? query : query.text;
        if (fail(text)) return Promise.reject(poolTimeout());
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const db: Db =
    database.driver === 'pg'
      ? drizzlePg(faulty as pg.Pool, { schema, casing: 'snake_case' })
      : drizzlePglite(faulty as PGlite, { schema, casing: 'snake_case' });
  return { ...database, db };
}

/** A rule failing the first `times` statements whose text matches `pattern`. */
export function failFirst(pattern: RegExp, times: number): FaultRule {
  let left = times;
  return (text) => {
    if (!pattern.test(text) || left === 0) return false;
    left -= 1;
    return true;
  };
}
