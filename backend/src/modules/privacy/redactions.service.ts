import type { Db } from '../../db/client.js';
import {
  insertRedactionCounts,
  listRedactionCountsForUser,
  type NewRedactionCountsRow,
} from './redactions.repository.js';

/** Stores how much one answer withheld from the providers (counts only, never the values). */
export function recordRedactionCounts(db: Db, row: NewRedactionCountsRow): Promise<void> {
  return insertRedactionCounts(db, row);
}

/** A student's own redaction counts, for their data export. */
export function listUserRedactionCounts(db: Db, userId: string) {
  return listRedactionCountsForUser(db, userId);
}
