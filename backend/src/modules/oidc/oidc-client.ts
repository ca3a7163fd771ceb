/**
 * The only file that speaks OpenID Connect (openid-client): builds the authorization URL with
 * PKCE, state and nonce, and trades the code for the user's claims. Discovery runs at the first
 * sign-in of each provider and is kept; a failed discovery is tried again at the next one.
 */
import * as oidc from 'openid-client';
import type { Config } from '../../config/env.js';

export type OidcProviderConfig = Config['oidc']['providers'][number];

/** What the browser must bring back to the callback: kept in a short-lived signed cookie. */
export interface PendingSignIn {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcClaims {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface OidcClients {
  start(
    provider: OidcProviderConfig,
    redirectUri: string,
  ): Promise<{ url: string; pending: PendingSignIn }>;
  finish(
    provider: OidcProviderConfig,
    callbackUrl: URL,
    pending: PendingSignIn,
  ): Promise<OidcClaims>;
}

const TIMEOUT_MS = 10_000;

export function createOidcClients(options: { allowInsecureIssuers: boolean }): OidcClients {
  const configurations = new Map<string, Promise<oidc.Configuration>>();

  function configurationOf(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    let found = configurations.get(provider.id);
    if (!found) {
      const issuer = new URL(provider.issuer);
      found = oidc.discovery(
        issuer,
        provider.clientId,
        provider.clientSecret ? { client_secret: provider.clientSecret } : undefined,
        undefined,
        {
          timeout: TIMEOUT_MS / 1000,
          ...(options.allowInsecureIssuers && issuer.protocol === 'http:'
            ? { execute: [oidc.allowInsecureRequests] }
            : {}),
        },
      );
      found.catch(() => configurations.delete(provider.id));
      configurations.set(provider.id, found);
    }
    return found;
  }

  return {
    async start(provider, redirectUri) {
      const config = await configurationOf(provider);
      const pending: PendingSignIn = {
        provider: provider.id,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },

    async finish(provider, callbackUrl, pending) {
      const config = await configurationOf(provider);
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('the provider sent no ID token');
      // Email claims usually come from userinfo; the ID token may carry them too.
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      const email = stringOf(info.email) ?? stringOf(idClaims.email);
      const verified = info.email_verified ?? idClaims.email_verified;
      return {
        subject: idClaims.sub,
        email: email?.toLowerCase() ?? null,
        // Some providers send "true" as a string; anything else is not verified.
        emailVerified: verified === true || verified === 'true',
        name: stringOf(info.name) ?? stringOf(idClaims.name),
      };
    },
  };
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
