/**
 * A module or notebook slug suggested from a title: `Getting Started!` → `getting-started`,
 * `Résumé basics` → `resume-basics` (accents folded, not turned into dashes). One copy for the
 * SPA's suggestion and the server's default, so both propose the same slug. At most 80
 * characters, as `moduleSlugSchema` allows; empty when nothing usable is left (the caller picks
 * a fallback).
 */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
