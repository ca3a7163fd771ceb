import { Router, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import type { AuthDeps } from '../auth/auth.types.js';
import { requestMeta, setRefreshCookie } from '../auth/session-cookie.js';
import type { OidcClients, PendingSignIn } from './oidc-client.js';
import { SsoError } from './oidc.errors.js';
import { signInWithOidc } from './oidc.service.js';

const STATE_COOKIE = 'hintbook_oidc';
const STATE_TTL_SECONDS = 600;

export interface OidcRouteDeps extends AuthDeps {
  clients: OidcClients;
  /** Signs the cookie that carries state, nonce and PKCE verifier to the callback. */
  stateSecret: string;
}

/**
 * `/api/auth/oidc/:provider/start` sends the browser to the school's sign-in; the provider sends
 * it back to `…/callback`, which signs in and goes to the SPA (`/`), or to
 * `/sign-in?sso_error=<code>` with a reason the sign-in page puts in words.
 */
export function oidcRoutes(deps: OidcRouteDeps): Router {
  const router = Router();
  const providerOf = (req: Request) =>
    deps.oidc.providers.find((provider) => provider.id === req.params.provider);
  const callbackUrl = (id: string) => `${deps.mail.publicUrl}/api/auth/oidc/${id}/callback`;

  router.get('/:provider/start', async (req, res) => {
    const provider = providerOf(req);
    if (!provider) return failTo(res, new SsoError('sso.unknown_provider'));
    try {
      const { url, pending } = await deps.clients.start(provider, callbackUrl(provider.id));
      res.cookie(
        STATE_COOKIE,
        jwt.sign(pending, deps.stateSecret, { expiresIn: STATE_TTL_SECONDS }),
        {
          httpOnly: true,
          // Lax: the provider's redirect back is a cross-site top-level navigation.
          sameSite: 'lax',
          secure: deps.settings.cookieSecure,
          path: '/api/auth/oidc',
          maxAge: STATE_TTL_SECONDS * 1000,
        },
      );
      res.redirect(302, url);
    } catch (error) {
      deps.logger.warn(
        { provider: provider.id, err: briefly(error) },
        'school sign-in could not start',
      );
      failTo(res, new SsoError('sso.failed'));
    }
  });

  router.get('/:provider/callback', async (req, res) => {
    const provider = providerOf(req);
    res.clearCookie(STATE_COOKIE, { path: '/api/auth/oidc' });
    if (!provider) return failTo(res, new SsoError('sso.unknown_provider'));
    try {
      const pending = readPending(req, deps.stateSecret, provider.id);
      // The URL the provider redirected to, as it registered it (nginx serves it under PUBLIC_URL).
      const current = new URL(callbackUrl(provider.id));
      current.search = new URLSearchParams(req.query as Record<string, string>).toString();
      const claims = await deps.clients.finish(provider, current, pending);
      const { user, session } = await signInWithOidc(deps, provider, claims, requestMeta(req));
      setRefreshCookie(res, deps.settings, session);
      deps.logger.info({ provider: provider.id, userId: user.id }, 'signed in with school account');
      res.redirect(302, '/');
    } catch (error) {
      if (!(error instanceof SsoError)) {
        deps.logger.warn({ provider: provider.id, err: briefly(error) }, 'school sign-in failed');
      }
      failTo(res, error instanceof SsoError ? error : new SsoError('sso.failed'));
    }
  });
  return router;
}

function readPending(req: Request, secret: string, providerId: string): PendingSignIn {
  const raw = (req.cookies as Record<string, unknown> | undefined)?.[STATE_COOKIE];
  if (typeof raw !== 'string') throw new SsoError('sso.failed');
  const pending = jwt.verify(raw, secret, { algorithms: ['HS256'] }) as PendingSignIn;
  if (pending.provider !== providerId) throw new SsoError('sso.failed');
  return pending;
}

function failTo(res: Response, error: SsoError): void {
  res.redirect(302, `/sign-in?sso_error=${encodeURIComponent(error.code)}`);
}

/** One line, bounded: provider error bodies can be long and must not flood the log. */
function briefly(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);
}
