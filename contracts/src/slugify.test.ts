import { describe, expect, it } from 'vitest';
// Through the index, wherever the module contracts live.
import { moduleSlugSchema } from './index.js';
import { slugify } from './slugify.js';

describe('slugify', () => {
  it('folds accents instead of cutting words at them', () => {
    expect(slugify('Résumé basics')).toBe('resume-basics');
    expect(slugify('Crème brûlée, naïvely')).toBe('creme-brulee-naively');
  });

  it('turns punctuation and spaces into single dashes, none at the ends', () => {
    expect(slugify('  Loops & lists!  ')).toBe('loops-lists');
    expect(slugify('01_intro--to  Python')).toBe('01-intro-to-python');
  });

  it('keeps at most 80 characters and never ends on a dash after cutting', () => {
    const slug = slugify(`${'a'.repeat(79)} tail`);
    expect(slug).toBe('a'.repeat(79));
    expect(slugify('word '.repeat(40)).length).toBeLessThanOrEqual(80);
  });

  it('gives an empty slug when nothing usable is left', () => {
    expect(slugify('!!! ???')).toBe('');
    expect(slugify('日本語')).toBe('');
  });

  it('always gives a slug the module schema accepts, when it gives one', () => {
    for (const title of ['Résumé basics', 'Getting Started!', '-x-', `${'ab-'.repeat(40)}`]) {
      expect(moduleSlugSchema.safeParse(slugify(title)).success).toBe(true);
    }
  });
});
