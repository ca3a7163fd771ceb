import { openDatabase, type Database, type DatabaseOptions } from './client.js';
import { EmbeddedDatabaseInUse } from './data-dir-lock.js';

/**
 * For the server's start and the operator's commands: the database, or, when another process
 * has the embedded one open, the reason in plain words on stderr and exit code 1 (not a stack
 * trace, and nothing written).
 */
export function openDatabaseOrExit(options: DatabaseOptions, heading?: string): Database {
  try {
    return openDatabase(options);
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseInUse)) throw error;
    console.error(heading ? `${heading}\n${error.message}` : error.message);
    process.exit(1);
  }
}
