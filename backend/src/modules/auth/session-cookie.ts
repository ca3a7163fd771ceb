import type { CookieOptions, Request, Response } from 'express';
import type { AuthSessionResponse } from '@hintbook/contracts';
import type { AuthSettings, IssuedSession } from './auth.types.js';
import { toPublicUser } from '../users/users.mapper.js';
import type { UserRow } from '../users/users.types.js';

export const REFRESH_COOKIE = 'hintbook_refresh';

// Scoped to /api/auth: no other endpoint ever receives the refresh token.
function cookieOptions(settings: AuthSettings): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: settings.cookieSecure, path: '/api/auth' };
}

export function readRefreshCookie(req: Request): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function clearRefreshCookie(res: Response, settings: AuthSettings): void {
  res.clearCookie(REFRESH_COOKIE, cookieOptions(settings));
}

/** Sets the refresh cookie when one was issued (school sign-in ends with just this). */
export function setRefreshCookie(res: Response, settings: AuthSettings, session: IssuedSession) {
  if (session.refreshToken && session.refreshTokenExpiresAt) {
    res.cookie(REFRESH_COOKIE, session.refreshToken, {
      ...cookieOptions(settings),
      expires: session.refreshTokenExpiresAt,
    });
  }
}

/** Sets the refresh cookie (when one was issued) and answers with the access token and user. */
export function sendSession(
  res: Response,
  settings: AuthSettings,
  user: UserRow,
  session: IssuedSession,
  status = 200,
): void {
  setRefreshCookie(res, settings, session);
  res.set('Cache-Control', 'no-store');
  res.status(status).json({
    user: toPublicUser(user),
    accessToken: session.accessToken,
    accessTokenExpiresAt: session.accessTokenExpiresAt.toISOString(),
  } satisfies AuthSessionResponse);
}

export function requestMeta(req: Request) {
  return { userAgent: req.get('user-agent') };
}
