import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `migrations/` folder, which every test database is migrated from. */
export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);
