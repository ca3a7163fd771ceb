import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

/**
 * The embedded engine with the extensions Hintbook uses. The product runs it on a thread of its
 * own (pglite-thread.ts); the tests' template database runs it here, to dump its data directory.
 */
export function createPgliteClient(dataDir: string, loadDataDir?: Blob): PGlite {
  const isMemory = dataDir.startsWith('memory://');
  const location = isMemory ? dataDir : path.join(dataDir, 'pglite');
  if (!isMemory) mkdirSync(location, { recursive: true });
  // pgvector is bundled so the embedded database searches course material by meaning too,
  // exactly like the production image (migration 0006 creates the column where it exists).
  return new PGlite(location, { extensions: { vector }, ...(loadDataDir ? { loadDataDir } : {}) });
}
