/**
 * Numbers and dates for people: in the admin's own locale (the browser's, unless a test passes
 * one), money in US dollars because that is what the providers bill in.
 */

type Locale = string | undefined;

/** `$1,234.56`; amounts under a cent keep enough digits to not read as zero (`$0.0042`). */
export function formatUsd(amount: number, locale?: Locale): string {
  const isTiny = amount !== 0 && Math.abs(amount) < 0.01;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: isTiny ? 4 : 2,
  }).format(amount);
}

/** Whole numbers with the locale's grouping: `12,345`. */
export function formatCount(value: number, locale?: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** Short form for chart axes: `12K`, `3.4M`. */
export function formatCompact(value: number, locale?: Locale): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(
    value,
  );
}

/** A fraction (0.8) as a percentage (`80%`). */
export function formatPercent(fraction: number, locale?: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    fraction,
  );
}

/** A calendar date: `24 Nov 2026`, `Nov 24, 2026`, … Periods are UTC-aligned, so read in UTC. */
export function formatDate(iso: string, locale?: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso));
}

/** A period start on a chart axis or table row: day and month, plus the year for months. */
export function formatPeriod(
  iso: string,
  groupBy: 'day' | 'week' | 'month',
  locale?: Locale,
): string {
  const options: Intl.DateTimeFormatOptions =
    groupBy === 'month'
      ? { month: 'short', year: 'numeric', timeZone: 'UTC' }
      : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
}

/** A moment, in the admin's time zone: `24 Nov 2026, 14:05`. */
export function formatDateTime(iso: string, locale?: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}

/** A moment or a dash for "never". */
export function formatMaybeDateTime(iso: string | null, locale?: Locale): string {
  return iso === null ? 'Never' : formatDateTime(iso, locale);
}

/** File sizes: `512 B`, `1.2 kB`, `3.4 MB`. */
export function formatBytes(bytes: number, locale?: Locale): string {
  if (bytes < 1000) return `${formatCount(bytes, locale)} B`;
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let index = 0;
  while (value >= 1000 && index < units.length - 1) {
    value /= 1000;
    index += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[index],
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}
