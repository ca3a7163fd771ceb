import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-redirect';

describe('safeNextPath', () => {
  it('keeps a path on this site, with its query and hash', () => {
    expect(safeNextPath('/profile?tab=password#top')).toBe('/profile?tab=password#top');
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['absolute URL', 'https://evil.example/'],
    ['protocol-relative', '//evil.example'],
    ['backslash trick', '/\\evil.example'],
    ['tab trick', '/\t/evil.example'],
    ['javascript URL', 'javascript:alert(1)'],
  ])('falls back to the home page for a %s target', (_name, raw) => {
    expect(safeNextPath(raw)).toBe('/');
  });
});
