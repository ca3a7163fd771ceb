import { PASSWORD_MIN_LENGTH } from '@hintbook/contracts';
import { commonPasswords } from './common-passwords.js';

const commonPasswordSet = new Set(commonPasswords.map((password) => password.toLowerCase()));

/**
 * Reasons a new password is refused, in words for the person choosing it; empty when it is
 * acceptable. Length is also checked by the schema; this adds what needs the email or the list.
 */
export function findPasswordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  const lowered = password.toLowerCase();
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  const localPart = email.toLowerCase().split('@')[0] ?? '';
  if (lowered === email.toLowerCase() || (localPart.length >= 4 && lowered === localPart)) {
    problems.push('Do not use your email address as your password');
  }
  if (commonPasswordSet.has(lowered) || /^(.)\1+$/.test(password) || isSequence(lowered)) {
    problems.push('This password is too common; choose something less guessable');
  }
  return problems;
}

function isSequence(text: string): boolean {
  const runs = [
    '0123456789012345678901234567890',
    'abcdefghijklmnopqrstuvwxyz',
    'qwertyuiopasdfghjklzxcvbnm',
  ];
  return runs.some((run) => run.includes(text) || [...run].reverse().join('').includes(text));
}
