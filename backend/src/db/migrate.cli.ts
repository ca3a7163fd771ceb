import { loadConfig } from '../config/env.js';
import { openDatabaseOrExit } from './open-or-exit.js';
import { applyMigrations, countAppliedMigrations } from './migrate.js';

// `npm run db:migrate`: the same migration path the server runs at start, for upgrades and CI.
const config = loadConfig();
const database = openDatabaseOrExit({ url: config.database.url, dataDir: config.database.dataDir });
try {
  await applyMigrations(database, config.database.migrationsDir);
  const applied = await countAppliedMigrations(database.db);
  console.warn(`migrations applied: ${applied} (driver: ${database.driver})`);
} finally {
  await database.close();
}
