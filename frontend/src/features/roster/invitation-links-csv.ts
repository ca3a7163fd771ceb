import type { RosterRowResult } from '@hintbook/contracts';

/**
 * The invitation links of an import as a CSV a teacher can open in a spreadsheet and mail-merge:
 * they are shown once, and copying thirty of them from a table one by one loses some.
 */
export function invitationLinksCsv(rows: RosterRowResult[]): string {
  const lines = [['email', 'name', 'group', 'invitation link']];
  for (const row of rows) {
    if (row.inviteUrl) lines.push([row.email, row.name ?? '', row.group ?? '', row.inviteUrl]);
  }
  // CRLF and a quoted field wherever needed: what spreadsheets read as CSV.
  return `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  // A cell starting with = + - @ is a formula to a spreadsheet: a name from a class list must
  // not run as one (CSV injection), so it is kept as text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
