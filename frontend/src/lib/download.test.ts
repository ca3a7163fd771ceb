import { describe, expect, it } from 'vitest';
import { filenameFromContentDisposition } from './download';

describe('filenameFromContentDisposition', () => {
  it('reads quoted and unquoted names', () => {
    expect(filenameFromContentDisposition('attachment; filename="a b.json"')).toBe('a b.json');
    expect(filenameFromContentDisposition('attachment; filename=data.json')).toBe('data.json');
  });

  it('prefers the UTF-8 name when both are given', () => {
    const header = `attachment; filename="export.json"; filename*=UTF-8''%C3%A9l%C3%A8ve.json`;
    expect(filenameFromContentDisposition(header)).toBe('élève.json');
  });

  it('returns null when there is no name', () => {
    expect(filenameFromContentDisposition(null)).toBeNull();
    expect(filenameFromContentDisposition('inline')).toBeNull();
  });
});
