/** Throwaway PostgreSQL databases for ops tests, driven through psql (no driver needed). */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const adminUrl =
  process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The admin URL pointed at another database on the same server. */
export function databaseUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs SQL with psql; returns the unaligned, tuples-only output. */
export async function psql(database: string, sql: string): Promise<string> {
  const { stdout } = await execFileAsync(
    'psql',
    [
      '--no-psqlrc',
      '-X',
      '-q',
      '-t',
      '-A',
      '-v',
      'ON_ERROR_STOP=1',
      '-d',
      databaseUrl(database),
      '-c',
      sql,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout.trim();
}

export function uniqueDatabaseName(purpose: string): string {
  return `hintbook_test_${purpose}_${randomBytes(4).toString('hex')}`;
}

export async function createDatabase(name: string): Promise<void> {
  await psql('postgres', `create database "${name}"`);
}

export async function dropDatabase(name: string): Promise<void> {
  await psql('postgres', `drop database if exists "${name}" with (force)`);
}

export async function databaseExists(name: string): Promise<boolean> {
  return (
    (await psql('postgres', `select count(*) from pg_database where datname = '${name}'`)) === '1'
  );
}

/** Row count and an md5 over every row of every ordinary table, keyed "schema.table". */
export async function tableFingerprints(database: string): Promise<Record<string, string>> {
  const tables = (
    await psql(
      database,
      `select format('%I.%I', n.nspname, c.relname) from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
         and n.nspname not like 'pg_toast%' order by 1`,
    )
  )
    .split('\n')
    .filter(Boolean);
  const result: Record<string, string> = {};
  for (const table of tables) {
    result[table] = await psql(
      database,
      `select count(*) || ' rows, md5 ' || md5(coalesce(string_agg(t::text, E'\\n' order by t::text), ''))
       from only ${table} t`,
    );
  }
  return result;
}
