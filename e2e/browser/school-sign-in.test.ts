/**
 * School sign-in in Chromium through nginx: a real OpenID Connect provider runs on loopback
 * (npm `oidc-provider`, authorization code + PKCE). A student signs in with it and gets an
 * account; a listed admin's account becomes admin through the provider's verified address;
 * an address outside the allowed domains is refused with a plain reason.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOidcIssuer, type OidcIssuer } from '../../backend/src/test/oidc-issuer.js';
import { useBrowserSessions, type BrowserSession } from '../support/browser.js';
import { reservePublicUrl, startStack, type Stack } from '../support/stack.js';

const TEACHER = 'head@school.example';
let issuer: OidcIssuer;
let stack: Stack;

beforeAll(async () => {
  const publicUrl = await reservePublicUrl();
  issuer = await startOidcIssuer({
    redirectUris: [`${publicUrl.url}/api/auth/oidc/school/callback`],
  });
  issuer.accounts.set('mo', { email: 'mo@school.example', email_verified: true, name: 'Mo Salah' });
  issuer.accounts.set('head', { email: TEACHER, email_verified: true, name: 'Head Teacher' });
  issuer.accounts.set('outsider', { email: 'x@elsewhere.example', email_verified: true });
  stack = await startStack({
    adminEmail: TEACHER,
    nginxPort: publicUrl.nginxPort,
    env: {
      PUBLIC_URL: publicUrl.url,
      OIDC_PROVIDERS: JSON.stringify([
        {
          id: 'school',
          label: 'Springfield School',
          issuer: issuer.issuer,
          clientId: issuer.clientId,
          clientSecret: issuer.clientSecret,
          allowedDomains: ['school.example'],
        },
      ]),
    },
  });
});
afterEach(({ task }) => {
  if (task.result?.state === 'fail') console.error(stack.logs());
});
afterAll(async () => {
  await stack?.stop();
  await issuer?.close();
});

const sessions = useBrowserSessions(() => ({ baseURL: stack.baseUrl }));

/** Through the provider's own (development) login and consent pages. */
async function signInAtSchool(page: Page, login: string) {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Sign in with Springfield School' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Only the test provider's own page may try to reach past loopback (its web font). */
function expectOnlyIssuerFonts(session: BrowserSession) {
  expect(session.network.blocked.filter((url) => !url.includes('fonts.googleapis.com'))).toEqual(
    [],
  );
}

describe('school sign-in (OpenID Connect)', () => {
  it('signs a student in with the school account, creating the account', async () => {
    const session = sessions.current();
    await signInAtSchool(session.page, 'mo');
    await session.page.getByRole('heading', { level: 1, name: 'Welcome, mo' }).waitFor();
    expect(new URL(session.page.url()).pathname).toBe('/');
    // The school vouched for the address: no "confirm your email" banner.
    expect(
      await session.page.getByRole('status', { name: 'Confirm your email address' }).count(),
    ).toBe(0);
    // A reload keeps the sign-in (the refresh cookie was set by the callback).
    await session.page.reload();
    await session.page.getByRole('heading', { level: 1, name: 'Welcome, mo' }).waitFor();
    expectOnlyIssuerFonts(session);
  });

  it('makes a listed admin admin through the provider’s verified address', async () => {
    const session = sessions.current();
    await signInAtSchool(session.page, 'head');
    await session.page.getByRole('heading', { level: 1, name: 'Welcome, head' }).waitFor();
    await session.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Admin' })
      .click();
    await session.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  });

  it('refuses an address outside the allowed domains and says why', async () => {
    const session = sessions.current();
    await signInAtSchool(session.page, 'outsider');
    await session.page.getByText('Accounts from this email domain cannot sign in here.').waitFor();
    expect(new URL(session.page.url()).pathname).toBe('/sign-in');
  });
});
