import { describe, expect, it } from 'vitest';
import type { Db } from './client.js';
import { preparedPerDb } from './prepared.js';

describe('queries prepared per database handle', () => {
  it('builds a query once per handle and again for another (a transaction’s)', () => {
    const built: Db[] = [];
    const statementOn = preparedPerDb((db) => {
      built.push(db);
      return { db };
    });
    const pool = {} as Db;
    const tx = {} as Db;
    const first = statementOn(pool);
    expect(statementOn(pool)).toBe(first);
    expect(statementOn(tx)).not.toBe(first);
    expect(statementOn(tx).db).toBe(tx);
    expect(built).toEqual([pool, tx]);
  });
});
