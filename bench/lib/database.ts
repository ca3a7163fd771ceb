import pg from 'pg';

/**
 * `--pg[=URL]`: a throwaway database on an existing PostgreSQL server (the one `npm run test:pg`
 * uses by default), created before the run and dropped after, so the figures show Hintbook on
 * the production database rather than on the embedded PGlite.
 */
export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createThrowawayDatabase(serverUrl: string) {
  const name = `hintbook_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
