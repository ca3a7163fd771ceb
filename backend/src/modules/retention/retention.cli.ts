import { loadConfig } from '../../config/env.js';
import { openDatabaseOrExit } from '../../db/open-or-exit.js';
import { applyMigrations } from '../../db/migrate.js';
import { systemClock } from '../../lib/clock.js';
import { createLogger } from '../../lib/logger.js';
import { deleteExpiredConversations } from './retention.service.js';

// `npm run retention`: deletes the conversations older than CHAT_RETENTION_DAYS once, now — the
// same sweep the server runs every night. Safe to re-run.
const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = openDatabaseOrExit({ url: config.database.url, dataDir: config.database.dataDir });
try {
  await applyMigrations(database, config.database.migrationsDir);
  if (config.privacy.chatRetentionDays === 0) {
    console.warn('CHAT_RETENTION_DAYS is not set: conversations are kept forever.');
  } else {
    const deleted = await deleteExpiredConversations({
      db: database.db,
      clock: systemClock,
      logger,
      retentionDays: config.privacy.chatRetentionDays,
    });
    console.warn(
      `Deleted ${deleted} conversations untouched for ${config.privacy.chatRetentionDays} days.`,
    );
  }
} finally {
  await database.close();
}
