import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { tokenExpired, unauthenticated } from '../../lib/app-error.js';
import type { Clock } from '../../lib/clock.js';

const ISSUER = 'hintbook';
const AUDIENCE = 'hintbook-api';

export interface AccessClaims {
  userId: string;
  /** Must equal users.token_version; bumping it revokes every outstanding access token. */
  tokenVersion: number;
  /** The refresh-token family (one sign-in) this access token belongs to. */
  sessionId: string;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

/**
 * Short-lived HS256 access tokens. Verification pins the algorithm, issuer and audience, so
 * `alg: none` and tokens minted for something else are refused.
 */
export function createAccessTokens(options: { secret: string; ttlSeconds: number; clock: Clock }) {
  const { ttlSeconds, clock } = options;
  // A key object made once: given the string, jsonwebtoken first tries to parse it as a PEM
  // public or private key (and throws) on every sign and verify, about 2 % of a busy backend's CPU.
  const secret = createSecretKey(Buffer.from(options.secret));
  const nowSeconds = () => Math.floor(clock().getTime() / 1000);

  function sign(claims: AccessClaims): SignedAccessToken {
    const iat = nowSeconds();
    const token = jwt.sign({ ver: claims.tokenVersion, sid: claims.sessionId, iat }, secret, {
      algorithm: 'HS256',
      expiresIn: ttlSeconds,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: claims.userId,
    });
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
  }

  function verify(token: string): AccessClaims {
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: nowSeconds(),
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw tokenExpired();
      throw unauthenticated('Your session is not valid; sign in again');
    }
    if (
      typeof payload === 'string' ||
      typeof payload.sub !== 'string' ||
      typeof payload.ver !== 'number' ||
      typeof payload.sid !== 'string'
    ) {
      throw unauthenticated('Your session is not valid; sign in again');
    }
    return { userId: payload.sub, tokenVersion: payload.ver, sessionId: payload.sid };
  }

  /** When a token (already verified elsewhere) expires; undefined if it carries no expiry. */
  function expiresAt(token: string): Date | undefined {
    const decoded = jwt.decode(token);
    return decoded && typeof decoded === 'object' && typeof decoded.exp === 'number'
      ? new Date(decoded.exp * 1000)
      : undefined;
  }

  return { sign, verify, expiresAt };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** The refresh token handed to the browser as a cookie, and the hash it is stored as. */
export {
  generateSecretToken as generateRefreshToken,
  hashSecretToken as hashRefreshToken,
} from '../../lib/secret-tokens.js';
