import { Router } from 'express';
import {
  REFRESH_HEADER,
  type AuthOptionsResponse,
  loginBodySchema,
  passwordResetBodySchema,
  passwordResetRequestBodySchema,
  registerBodySchema,
  verifyEmailBodySchema,
} from '@hintbook/contracts';
import type { AccessTokens } from './tokens.js';
import { refreshHeaderMissing } from './auth.errors.js';
import { logIn, logOut, logOutEverywhere, refreshSession, registerUser } from './auth.service.js';
import {
  offerVerificationEmail,
  requestPasswordReset,
  resetPassword,
  sendVerificationEmail,
  verifyEmail,
} from './email-links.service.js';
import type { AuthDeps } from './auth.types.js';
import {
  clearRefreshCookie,
  readRefreshCookie,
  requestMeta,
  sendSession,
} from './session-cookie.js';
import { authenticate, requireAuth } from '../../middleware/authenticate.js';
import { rateLimitPerMinute } from '../../middleware/rate-limit.js';
import { withBody } from '../../middleware/validate.js';

/** Sign-in lifecycle under /api/auth. The account itself (/me) lives in modules/account. */
export function authRoutes(deps: AuthDeps & { accessTokens: AccessTokens }): Router {
  const router = Router();
  const perMinute = deps.settings.rateLimitPerMinute;
  const store = (name: string) => deps.rateLimitStores?.(name);
  const limit = rateLimitPerMinute({ name: 'auth', perMinute, store: store('auth') });
  // Keyed by email too: a whole class signs in from one school address at the start of a lesson.
  const loginLimit = rateLimitPerMinute({
    name: 'login',
    perMinute,
    store: store('login'),
    keyParts: (req) => [String((req.body as { email?: unknown })?.email ?? '').toLowerCase()],
  });
  // Every page load refreshes once; allow far more of these than of password attempts.
  const refreshLimit = rateLimitPerMinute({
    name: 'refresh',
    perMinute: perMinute * 10,
    store: store('refresh'),
  });
  const signedIn = authenticate(deps.db, deps.accessTokens);

  router.post(
    '/register',
    limit,
    withBody(registerBodySchema, async (body, req, res) => {
      const { user, session } = await registerUser(deps, body, requestMeta(req));
      await offerVerificationEmail(deps, user);
      sendSession(res, deps.settings, user, session, 201);
    }),
  );

  // Keyed by the address too, so one address cannot be flooded with mail from many places.
  const mailLimit = rateLimitPerMinute({
    name: 'mail',
    perMinute: Math.max(1, Math.ceil(perMinute / 6)),
    store: store('mail'),
    keyParts: (req) => [String((req.body as { email?: unknown })?.email ?? '').toLowerCase()],
  });

  router.get('/options', (_req, res) => {
    res.json({
      canSendMail: deps.mailer.isConfigured,
      emailVerification: deps.mail.verification,
      oidcProviders: deps.oidc.providers.map(({ id, label }) => ({ id, label })),
    } satisfies AuthOptionsResponse);
  });

  router.post(
    '/verify-email',
    limit,
    withBody(verifyEmailBodySchema, async (body, _req, res) => {
      await verifyEmail(deps, body.token);
      res.status(204).end();
    }),
  );

  router.post('/verify-email/send', mailLimit, signedIn, async (req, res) => {
    const { user } = requireAuth(req);
    await sendVerificationEmail(deps, user);
    res.status(202).json({ sentTo: user.email });
  });

  router.post(
    '/password-reset',
    mailLimit,
    withBody(passwordResetRequestBodySchema, async (body, _req, res) => {
      await requestPasswordReset(deps, body.email);
      res.status(202).json({
        message:
          'If an account uses this address, a link to choose a new password is on its way. ' +
          'It works for a short while; check your spam folder too.',
      });
    }),
  );

  router.post(
    '/password-reset/confirm',
    limit,
    withBody(passwordResetBodySchema, async (body, _req, res) => {
      await resetPassword(deps, body.token, body.password);
      clearRefreshCookie(res, deps.settings);
      res.status(204).end();
    }),
  );

  router.post(
    '/login',
    loginLimit,
    withBody(loginBodySchema, async (body, req, res) => {
      const { user, session } = await logIn(deps, body, requestMeta(req));
      sendSession(res, deps.settings, user, session);
    }),
  );

  router.post('/refresh', refreshLimit, async (req, res) => {
    if (!req.get(REFRESH_HEADER)) throw refreshHeaderMissing();
    // No cookie at all: nobody signed in on this browser, the usual first visit and every
    // signed-out page load. Not an error, so no 401 in the browser's console: 204, no session.
    if (!readRefreshCookie(req)) {
      res.status(204).end();
      return;
    }
    try {
      const { user, session } = await refreshSession(
        deps,
        readRefreshCookie(req),
        requestMeta(req),
      );
      sendSession(res, deps.settings, user, session);
    } catch (error) {
      if (!(error as { keepCookie?: boolean }).keepCookie) clearRefreshCookie(res, deps.settings);
      throw error;
    }
  });

  router.post('/logout', limit, async (req, res) => {
    await logOut(deps, readRefreshCookie(req));
    clearRefreshCookie(res, deps.settings);
    res.status(204).end();
  });

  router.post('/logout-all', limit, signedIn, async (req, res) => {
    await logOutEverywhere(deps, requireAuth(req).user.id);
    clearRefreshCookie(res, deps.settings);
    res.status(204).end();
  });

  return router;
}
