import type { RosterRowResult } from '@hintbook/contracts';
import { toCsv } from '../../lib/csv';

/**
 * The invitation links of an import as a CSV a teacher can open in a spreadsheet and mail-merge:
 * they are shown once, and copying thirty of them from a table one by one loses some.
 */
export function invitationLinksCsv(rows: RosterRowResult[]): string {
  const lines = [['email', 'name', 'group', 'invitation link']];
  for (const row of rows) {
    if (row.inviteUrl) lines.push([row.email, row.name ?? '', row.group ?? '', row.inviteUrl]);
  }
  return toCsv(lines);
}
