import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDate,
  formatDateTime,
  formatPercent,
  formatPeriod,
  formatUsd,
} from './format';

// Intl separators vary by ICU build (narrow no-break spaces): normalise before comparing.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('admin number and date formatting', () => {
  it('formats money as US dollars in the given locale', () => {
    expect(formatUsd(1234.5, 'en-US')).toBe('$1,234.50');
    expect(plain(formatUsd(1234.5, 'de-DE'))).toBe('1.234,50 $');
    expect(plain(formatUsd(1234.5, 'fr-FR'))).toBe('1 234,50 $US');
    expect(formatUsd(0, 'en-US')).toBe('$0.00');
  });

  it('keeps sub-cent amounts readable instead of rounding them to zero', () => {
    expect(formatUsd(0.0042, 'en-US')).toBe('$0.0042');
    expect(formatUsd(0.004, 'en-US')).toBe('$0.004');
  });

  it('groups counts and formats percentages per locale', () => {
    expect(formatCount(1234567, 'en-US')).toBe('1,234,567');
    expect(plain(formatCount(1234567, 'de-DE'))).toBe('1.234.567');
    expect(formatPercent(0.8, 'en-US')).toBe('80%');
    expect(plain(formatPercent(0.8, 'fr-FR'))).toBe('80 %');
  });

  it('formats dates and moments in the admin’s locale', () => {
    const iso = '2026-11-24T14:05:00.000Z';
    expect(formatDate(iso, 'en-US', 'UTC')).toBe('Nov 24, 2026');
    expect(formatDate(iso, 'en-GB', 'UTC')).toBe('24 Nov 2026');
    expect(formatDate(iso, 'de-DE', 'UTC')).toBe('24.11.2026');
    expect(plain(formatDateTime(iso, 'en-GB', 'UTC'))).toBe('24 Nov 2026, 14:05');
  });

  it('labels chart periods in UTC, with the year for months', () => {
    expect(formatPeriod('2026-11-01T00:00:00.000Z', 'month', 'en-US')).toBe('Nov 2026');
    expect(formatPeriod('2026-11-23T00:00:00.000Z', 'week', 'en-GB')).toBe('23 Nov');
    expect(formatPeriod('2026-11-23T00:00:00.000Z', 'day', 'en-US')).toBe('Nov 23');
  });

  it('formats file sizes', () => {
    expect(formatBytes(512, 'en-US')).toBe('512 B');
    expect(formatBytes(1536, 'en-US')).toBe('1.5 kB');
  });
});
