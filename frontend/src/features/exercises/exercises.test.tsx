import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CheckResultView } from './components/CheckResultView';
import { PolicyNotice } from './components/PolicyNotice';

describe('the result of a check', () => {
  it('says plainly that it passed', () => {
    const { container } = render(
      <CheckResultView
        result={{ outcome: 'passed', failingTest: null, message: null, durationMs: 40 }}
      />,
    );
    expect(container.textContent).toBe('Passed: every test of this exercise works.');
  });

  it('names the failing test and its message', () => {
    const { getByRole } = render(
      <CheckResultView
        result={{
          outcome: 'failed',
          failingTest: 'assert square(3) == 9',
          message: 'square(3) should be 9',
          durationMs: 40,
        }}
      />,
    );
    expect(getByRole('status').textContent).toBe(
      'A test failed: assert square(3) == 9It says: square(3) should be 9',
    );
  });

  it('shows the error the code raised', () => {
    const { container } = render(
      <CheckResultView
        result={{
          outcome: 'error',
          failingTest: null,
          message: "NameError: name 'n' is not defined",
          durationMs: 5,
        }}
      />,
    );
    expect(container.textContent).toContain("NameError: name 'n' is not defined");
  });

  it('explains a time-out without blaming the notebook', () => {
    const { container } = render(
      <CheckResultView
        result={{
          outcome: 'timeout',
          failingTest: null,
          message: null,
          durationMs: 10_050,
          timeLimitMs: 10_000,
        }}
      />,
    );
    expect(container.textContent).toContain('The check was stopped after 10 s.');
    expect(container.textContent).toContain('your notebook is as you left it');
  });
});

describe('the module AI policy notice', () => {
  it('shows an exam window in its own words', () => {
    const { getByRole } = render(
      <PolicyNotice
        policy={{
          mode: 'off',
          maxHintLevel: null,
          text: 'The tutor is off for this module during the exam until 11:00 (Europe/Berlin).',
          until: '2026-06-12T09:00:00.000Z',
        }}
      />,
    );
    expect(getByRole('note').textContent).toBe(
      'The tutor is off for this module during the exam until 11:00 (Europe/Berlin).',
    );
  });

  it('shows nothing while the tutor is simply on', () => {
    const { container } = render(
      <PolicyNotice
        policy={{
          mode: 'on',
          maxHintLevel: null,
          text: 'The tutor is on for this module.',
          until: null,
        }}
      />,
    );
    expect(container.textContent).toBe('');
  });
});
