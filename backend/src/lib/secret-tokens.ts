import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: refresh cookies, emailed links, invitations. */
export function generateSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Such tokens are stored only as this hash, so a database leak hands out nothing. SHA-256
 * suffices: the input is random, not a password.
 */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
