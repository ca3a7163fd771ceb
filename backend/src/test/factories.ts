import type { Express } from 'express';
import request from 'supertest';
import { REFRESH_HEADER, type AuthSessionResponse, type RegisterBody } from '@hintbook/contracts';
import { promoteAdmin } from '../modules/users/operator-admin.service.js';
import type { TestApp } from './harness.js';

let sequence = 0;

/** Registration input that passes every rule; override only what the test is about. */
export function buildRegistration(overrides: Partial<RegisterBody> = {}): Required<RegisterBody> {
  sequence += 1;
  return {
    email: `student${sequence}@school.example`,
    username: `student${sequence}`,
    password: 'correct horse battery staple',
    programmingLevel: 2,
    mathsLevel: 3,
    ...overrides,
  } as Required<RegisterBody>;
}

export interface SignedInUser {
  body: AuthSessionResponse;
  accessToken: string;
  /** The `hintbook_refresh=…` pair, ready for a Cookie header. */
  refreshCookie: string;
  credentials: { email: string; password: string };
}

/** Registers through the real API and returns what a browser would hold afterwards. */
export async function registerThroughApi(
  app: Express,
  overrides: Partial<RegisterBody> = {},
): Promise<SignedInUser> {
  const registration = buildRegistration(overrides);
  const response = await request(app).post('/api/auth/register').send(registration).expect(201);
  return {
    body: response.body as AuthSessionResponse,
    accessToken: (response.body as AuthSessionResponse).accessToken,
    refreshCookie: readRefreshCookie(response.headers['set-cookie']),
    credentials: { email: registration.email, password: registration.password },
  };
}

export function readRefreshCookie(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const refresh = cookies.find((cookie) => cookie.startsWith('hintbook_refresh='));
  if (!refresh) throw new Error(`no refresh cookie in ${JSON.stringify(cookies)}`);
  return refresh.split(';')[0]!;
}

/** POST /api/auth/refresh the way the SPA does it. */
export function refreshWith(app: Express, cookie: string) {
  return request(app).post('/api/auth/refresh').set('Cookie', cookie).set(REFRESH_HEADER, '1');
}

/**
 * Registers a listed ADMIN_EMAIL address and confirms it the way an operator does
 * (`npm run admin -- promote`): registering alone never makes an admin.
 */
export async function registerAdmin(
  t: Pick<TestApp, 'app' | 'database' | 'config' | 'clock'>,
  overrides: Partial<RegisterBody> & { email: string },
): Promise<SignedInUser> {
  const registered = await registerThroughApi(t.app, overrides);
  const deps = { db: t.database.db, adminEmails: t.config.auth.adminEmails, clock: t.clock };
  await promoteAdmin(deps, overrides.email);
  return {
    ...registered,
    body: { ...registered.body, user: { ...registered.body.user, isAdmin: true } },
  };
}
