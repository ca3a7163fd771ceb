/**
 * Rows as a CSV that spreadsheets open as they are: CRLF line ends and quotes wherever needed.
 * A cell starting with = + - @ would be a formula to a spreadsheet: text from students or class
 * lists must not run as one (CSV injection), so it is kept as text.
 */
export function toCsv(rows: string[][]): string {
  return `${rows.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
