import { describe, expect, it } from 'vitest';
import { parseRoster } from './roster-text.js';

describe('parseRoster', () => {
  it('reads a spreadsheet export with a header in any column order', () => {
    const parsed = parseRoster(
      '\uFEFFClass,Full name,E-mail\r\n9B,"Lovelace, Ada",Ada@School.example\r\n9B,Alan Turing,alan@school.example\r\n',
    );
    expect(parsed.rejected).toEqual([]);
    expect(parsed.rows).toEqual([
      { line: 2, email: 'ada@school.example', name: 'Lovelace, Ada', group: '9B' },
      { line: 3, email: 'alan@school.example', name: 'Alan Turing', group: '9B' },
    ]);
  });

  it('reads pasted addresses, one a line or several on a line', () => {
    const parsed = parseRoster(
      'a@school.example\nb@school.example, c@school.example; d@school.example\n\ne@school.example f@school.example',
    );
    expect(parsed.rows.map((row) => row.email)).toEqual([
      'a@school.example',
      'b@school.example',
      'c@school.example',
      'd@school.example',
      'e@school.example',
      'f@school.example',
    ]);
    expect(parsed.rows.every((row) => row.name === null && row.group === null)).toBe(true);
  });

  it('reads rows without a header by their shape: the address, then name and group', () => {
    expect(parseRoster('Grace Hopper,grace@school.example,10A').rows).toEqual([
      { line: 1, email: 'grace@school.example', name: 'Grace Hopper', group: '10A' },
    ]);
    expect(parseRoster('grace@school.example;Grace Hopper;10A').rows[0]).toMatchObject({
      name: 'Grace Hopper',
      group: '10A',
    });
    expect(parseRoster('grace@school.example\tGrace\t10A').rows[0]).toMatchObject({ group: '10A' });
    expect(parseRoster('grace@school.example,,10A').rows[0]).toMatchObject({
      name: null,
      group: '10A',
    });
  });

  it('rejects rows without a usable address and duplicates, naming the line', () => {
    const parsed = parseRoster(
      'email,name\nnot-an-address,Someone\n,Nobody\nx@school.example,X\nX@school.example,X again',
    );
    expect(parsed.rows.map((row) => row.email)).toEqual(['x@school.example']);
    expect(parsed.rejected).toEqual([
      { line: 2, text: 'not-an-address', reason: 'Not an email address' },
      { line: 3, text: ',Nobody', reason: 'No email address in this row' },
      { line: 5, text: 'x@school.example', reason: 'Listed twice; the first row counts' },
    ]);
  });

  it('treats a first row without an email column as a row, not a header', () => {
    const parsed = parseRoster('Just some text\nz@school.example');
    expect(parsed.rows.map((row) => row.email)).toEqual(['z@school.example']);
    expect(parsed.rejected).toEqual([
      { line: 1, text: 'Just some text', reason: 'No email address in this row' },
    ]);
  });
});
