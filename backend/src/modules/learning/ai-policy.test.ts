import { describe, expect, it } from 'vitest';
import { moduleAiPolicySchema } from '@hintbook/contracts';
import { policyAt, readAiPolicy, strictest, wallClock } from './ai-policy.js';

const exam = moduleAiPolicySchema.parse({
  mode: 'on',
  windows: [
    {
      label: 'the exam',
      start: '2026-06-12T09:00',
      end: '2026-06-12T11:00',
      timeZone: 'Europe/Berlin',
      mode: 'off',
    },
  ],
});

describe('module AI policy', () => {
  it('turns the tutor off inside an exam window in the window’s own time zone', () => {
    // 09:30 in Berlin (summer time, UTC+2) is 07:30 UTC.
    const now = policyAt(exam, new Date('2026-06-12T07:30:00Z'));
    expect(now.mode).toBe('off');
    expect(now.text).toBe(
      'The tutor is off for this module during the exam until 11:00 (Europe/Berlin).',
    );
    expect(now.until).toBe('2026-06-12T09:00:00.000Z');
  });

  it('is on again at the end of the window and before its start', () => {
    expect(policyAt(exam, new Date('2026-06-12T09:00:00Z')).mode).toBe('on');
    expect(policyAt(exam, new Date('2026-06-12T06:59:00Z')).mode).toBe('on');
  });

  it('does not read a Berlin window in UTC', () => {
    // 09:30 UTC is 11:30 in Berlin: after the exam.
    expect(policyAt(exam, new Date('2026-06-12T09:30:00Z')).mode).toBe('on');
  });

  it('caps the level in hints-only mode and says so', () => {
    const now = policyAt(
      moduleAiPolicySchema.parse({ mode: 'hints_only', maxHintLevel: 2 }),
      new Date(),
    );
    expect(now).toMatchObject({ mode: 'hints_only', maxHintLevel: 2, until: null });
    expect(now.text).toContain('at most a pointer');
  });

  it('refuses a time zone that does not exist and a window that ends before it starts', () => {
    const window = { start: '2026-06-12T09:00', end: '2026-06-12T11:00', mode: 'off' };
    expect(
      moduleAiPolicySchema.safeParse({ windows: [{ ...window, timeZone: 'Mars/Base' }] }).success,
    ).toBe(false);
    expect(
      moduleAiPolicySchema.safeParse({
        windows: [{ ...window, end: '2026-06-12T08:00', timeZone: 'UTC' }],
      }).success,
    ).toBe(false);
  });

  it('falls back to tutor on for a missing or unreadable stored policy', () => {
    expect(readAiPolicy(null).mode).toBe('on');
    expect(readAiPolicy({ mode: 'sometimes' }).mode).toBe('on');
  });

  it('picks the strictest of several policies', () => {
    const on = policyAt(readAiPolicy(null), new Date());
    const hints = policyAt(
      moduleAiPolicySchema.parse({ mode: 'hints_only', maxHintLevel: 1 }),
      new Date(),
    );
    expect(strictest([on, hints])?.maxHintLevel).toBe(1);
    expect(strictest([])).toBeNull();
  });

  it('formats wall-clock time across the winter offset too', () => {
    expect(wallClock(new Date('2026-01-10T08:00:00Z'), 'Europe/Berlin')).toBe('2026-01-10T09:00');
  });
});
