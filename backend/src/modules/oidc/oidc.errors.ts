import type { SsoErrorCode } from '@hintbook/contracts';

/** Ends a school sign-in; the callback redirects to `/sign-in?sso_error=<code>`. */
export class SsoError extends Error {
  constructor(readonly code: SsoErrorCode) {
    super(code);
    this.name = 'SsoError';
  }
}
