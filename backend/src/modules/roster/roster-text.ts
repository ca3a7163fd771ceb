/**
 * Reads what a teacher pastes or uploads as a class list: a CSV export with a header
 * (`email,name,group` in any order, with the usual spellings), rows without a header, or just
 * addresses separated by new lines, commas or semicolons. Pure: no I/O, every row accounted for.
 */

export interface RosterRow {
  /** 1-based line in the input, so the teacher can find a rejected row. */
  line: number;
  email: string;
  name: string | null;
  group: string | null;
}

export interface RejectedRow {
  line: number;
  text: string;
  reason: string;
}

export interface ParsedRoster {
  rows: RosterRow[];
  rejected: RejectedRow[];
}

const EMAIL = /^[^@\s<>(),;:"']+@[^@\s<>(),;:"']+\.[^@\s<>(),;:"']+$/;
const HEADERS: Record<'email' | 'name' | 'group', RegExp> = {
  email: /^(e-?mail|mail|email address|e-mail address)$/i,
  name: /^(name|full name|student|student name|display name)$/i,
  group: /^(group|class|form|section|cohort)$/i,
};
const MAX_NAME = 200;

export function parseRoster(text: string): ParsedRoster {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: RosterRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  let columns: Partial<Record<'email' | 'name' | 'group', number>> | null = null;

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const cells = splitCells(raw);
    if (columns === null && rows.length === 0 && rejected.length === 0) {
      const header = headerColumns(cells);
      if (header) {
        columns = header;
        return;
      }
    }
    const found = columns ? byHeader(cells, columns) : byShape(cells);
    if (found.length === 0) {
      rejected.push({
        line,
        text: raw.trim().slice(0, 200),
        reason: 'No email address in this row',
      });
      return;
    }
    for (const entry of found) {
      const email = entry.email.trim().toLowerCase();
      if (!EMAIL.test(email)) {
        rejected.push({ line, text: entry.email.slice(0, 200), reason: 'Not an email address' });
      } else if (seen.has(email)) {
        rejected.push({ line, text: email, reason: 'Listed twice; the first row counts' });
      } else {
        seen.add(email);
        rows.push({ line, email, name: clean(entry.name), group: clean(entry.group) });
      }
    }
  });
  return { rows, rejected };
}

interface Entry {
  email: string;
  name?: string | undefined;
  group?: string | undefined;
}

function headerColumns(cells: string[]) {
  const columns: Partial<Record<'email' | 'name' | 'group', number>> = {};
  cells.forEach((cell, index) => {
    for (const [key, pattern] of Object.entries(HEADERS) as Array<[keyof typeof HEADERS, RegExp]>) {
      if (pattern.test(cell.trim()) && columns[key] === undefined) columns[key] = index;
    }
  });
  return columns.email === undefined ? null : columns;
}

function byHeader(cells: string[], columns: Partial<Record<'email' | 'name' | 'group', number>>) {
  const email = cells[columns.email!]?.trim() ?? '';
  if (email === '') return [];
  const at = (index: number | undefined) => (index === undefined ? undefined : cells[index]);
  return [{ email, name: at(columns.name), group: at(columns.group) }];
}

/**
 * Without a header: a row of addresses is that many people; otherwise the address is the email,
 * the first other cell the name and the second the group ("Ada Lovelace, ada@…, 9B").
 */
function byShape(cells: string[]): Entry[] {
  // Empty cells keep their place: "ada@…,,9B" has no name and the group 9B.
  const trimmed = cells.map((cell) => cell.trim());
  const emails = trimmed.filter((cell) => cell.includes('@'));
  const others = trimmed.filter((cell) => !cell.includes('@'));
  if (emails.length === 0) return [];
  if (emails.length > 1) return emails.map((email) => ({ email }));
  return [{ email: emails[0]!, name: others[0], group: others[1] }];
}

/** CSV cells (quotes and doubled quotes as spreadsheets write them), or `;` / tab separated. */
function splitCells(line: string): string[] {
  const separator = line.includes('\t')
    ? '\t'
    : line.includes(',') || !line.includes(';')
      ? ','
      : ';';
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        current += char;
      }
    } else if (char === '"' && current.trim() === '') {
      quoted = true;
      current = '';
    } else if (char === separator) {
      cells.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  cells.push(current);
  // "a@x.org; b@x.org" inside one comma cell, or spaces between pasted addresses.
  return cells.flatMap((cell) => (/@.*[\s;]+.*@/.test(cell) ? cell.split(/[\s;]+/) : [cell]));
}

function clean(value: string | undefined): string | null {
  const trimmed = value?.trim().replace(/\s+/g, ' ') ?? '';
  return trimmed === '' ? null : trimmed.slice(0, MAX_NAME);
}
