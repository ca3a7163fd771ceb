import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-client';
import { failureFromError, failureFromIssues } from './form-errors';

const FIELDS = ['email', 'username'] as const;

describe('failureFromIssues', () => {
  it('keeps the first message per field and puts unknown paths above the form', () => {
    const failure = failureFromIssues(
      [
        { path: ['email'], message: 'Enter a valid email address' },
        { path: 'email', message: 'Too long' },
        { path: 'isAdmin', message: 'Unrecognised key' },
      ],
      FIELDS,
    );
    expect(failure).toEqual({
      fieldErrors: { email: 'Enter a valid email address' },
      formError: 'Unrecognised key',
    });
  });
});

describe('failureFromError', () => {
  it('maps a code about one field to that field', () => {
    const error = new ApiError(409, 'auth.email_taken', 'Email already registered');
    expect(failureFromError(error, FIELDS, { 'auth.email_taken': 'email' })).toEqual({
      fieldErrors: { email: 'Email already registered' },
      formError: null,
    });
  });

  it('uses field details whatever the code, keeping every field the API named', () => {
    const error = new ApiError(409, 'auth.username_taken', 'This username is taken', [
      { path: 'username', message: 'This username is taken' },
    ]);
    expect(failureFromError(error, FIELDS, { 'auth.username_taken': 'email' })).toEqual({
      fieldErrors: { username: 'This username is taken' },
      formError: null,
    });
  });

  it('falls back to the overall message when no detail names a field of this form', () => {
    const error = new ApiError(400, 'validation.failed', 'The request was invalid', [
      { path: '', message: 'Nothing to update' },
    ]);
    expect(failureFromError(error, FIELDS)).toEqual({
      fieldErrors: {},
      formError: 'Nothing to update',
    });
  });

  it('shows a validation failure without details as a form error', () => {
    const error = new ApiError(400, 'validation.failed', 'The request was invalid');
    expect(failureFromError(error, FIELDS).formError).toBe('The request was invalid');
  });

  it('never shows the text of an unexpected exception', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = failureFromError(new TypeError('x is undefined'), FIELDS);
    expect(failure.formError).toBe('Something went wrong. Please try again.');
  });
});
