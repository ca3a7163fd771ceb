import type { AdminPrivacyResponse } from '@hintbook/contracts';
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PrivacySummary } from './PrivacySummary';

const report: AdminPrivacyResponse = {
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-01-31T00:00:00.000Z',
  redactionKinds: ['name', 'email', 'phone', 'secret'],
  answers: 1204,
  redactions: { name: 40, email: 1310, phone: 7, secret: 12 },
  chatRetentionDays: null,
};

const textOf = (value: AdminPrivacyResponse) =>
  render(<PrivacySummary report={value} />).container.textContent;

describe('PrivacySummary', () => {
  it('counts what the providers never saw, per kind', () => {
    expect(textOf(report)).toContain(
      'in the last 30 days, in 1,204 answers: 40 names, 1,310 email addresses, 7 phone numbers, 12 secrets.',
    );
  });

  it('says plainly when nothing had to be replaced', () => {
    expect(
      textOf({ ...report, answers: 0, redactions: { name: 0, email: 0, phone: 0, secret: 0 } }),
    ).toContain('Nothing needed replacing before reaching the AI providers in the last 30 days.');
  });

  it('names only the kinds that are switched on, and says when redaction is off', () => {
    expect(textOf({ ...report, redactionKinds: ['secret'] })).toContain('answers: 12 secrets.');
    expect(textOf({ ...report, redactionKinds: [] })).toContain('Redaction is off');
  });

  it('says how long conversations stay', () => {
    expect(textOf(report)).toContain('kept until students delete them');
    expect(textOf({ ...report, chatRetentionDays: 90 })).toContain(
      'untouched for 90 days are deleted nightly',
    );
  });
});
