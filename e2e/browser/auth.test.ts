/**
 * Accounts in Chromium through nginx, on the real backend and the built SPA: the way a student
 * uses them, found by their labels and roles as a screen reader would, with the browser never
 * reaching past loopback, no page errors and no Content-Security-Policy violations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/accessibility.js';
import { useBrowserSessions, type BrowserSession } from '../support/browser.js';
import { repoRoot } from '../support/nginx.js';
import { startStack, type Stack } from '../support/stack.js';

const PASSWORD = 'correct horse battery staple';

let stack: Stack;
let counter = 0;

beforeAll(async () => {
  stack = await startStack();
});

afterEach(({ task }) => {
  if (task.result?.state === 'fail') console.error(stack.logs());
});

afterAll(async () => {
  await stack?.stop();
});

const sessions = useBrowserSessions(() => ({ baseURL: stack.baseUrl }));

/** A unique email and username per call, so tests never depend on each other's accounts. */
function newStudent() {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return { email: `student-${tag}@example.test`, username: `student_${tag}` };
}

/** Creates an account through the public API (via nginx), for tests that start signed out. */
async function registerThroughApi(student: { email: string; username: string }) {
  const response = await fetch(`${stack.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...student, password: PASSWORD, programmingLevel: 2, mathsLevel: 2 }),
  });
  expect(response.status).toBe(201);
}

/**
 * The browser logs a console error for every 4xx response. A signed-out visit causes none (the
 * refresh answers 204 without a cookie); a test that causes one on purpose (a wrong password)
 * says so.
 */

function expectCleanSession(session: BrowserSession, allowedConsole: RegExp[] = []) {
  expect(session.network.blocked, 'requests that tried to leave loopback').toEqual([]);
  expect(session.pageErrors, 'uncaught page errors').toEqual([]);
  expect(session.cspViolations, 'CSP violations').toEqual([]);
  const unexpected = session.consoleErrors.filter(
    (text) => !allowedConsole.some((pattern) => pattern.test(text)),
  );
  expect(unexpected, 'console errors').toEqual([]);
}

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function isFocused(page: Page, locator: ReturnType<Page['getByLabel']>) {
  return locator.evaluate((element) => element === document.activeElement);
}

/** The header's own button ("Sign out everywhere" on the profile page is another). */
async function signOut(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Sign out', exact: true })
    .click();
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function levelRadio(page: Page, group: string, level: RegExp) {
  return page.getByRole('group', { name: group }).getByRole('radio', { name: level });
}

describe('accounts in the browser', () => {
  it('registers, signs out and in, saves the profile, and keeps it across a reload', async () => {
    const session = sessions.current();
    const { page } = session;
    const student = newStudent();

    await page.goto('/register');
    await heading(page, 'Create your account');
    await expectAccessible(page, 'the register page');
    await page.getByLabel('Email').fill(student.email);
    await page.getByLabel('Username').fill(student.username);
    await page.getByLabel('Password').fill(PASSWORD);
    await levelRadio(page, 'How much programming have you done?', /New to it/).check();
    await levelRadio(page, 'How comfortable are you with maths?', /Getting there/).check();
    await page.getByRole('button', { name: 'Create account' }).click();

    await heading(page, `Welcome, ${student.username}`);
    expect(new URL(page.url()).pathname).toBe('/');
    await expectAccessible(page, 'the home page');

    await signOut(page);
    await heading(page, 'Sign in');
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();

    await signIn(page, student.email);
    await heading(page, `Welcome, ${student.username}`);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Profile' })
      .click();
    await heading(page, 'Your profile');
    await expectAccessible(page, 'the profile page');
    const renamed = `${student.username}_x`;
    const username = page.getByLabel('Username', { exact: true });
    expect(await username.inputValue()).toBe(student.username);
    expect(await levelRadio(page, 'Programming level', /New to it/).isChecked()).toBe(true);
    expect(await levelRadio(page, 'Maths level', /Getting there/).isChecked()).toBe(true);
    await username.fill(renamed);
    await levelRadio(page, 'Programming level', /Confident/).check();
    await levelRadio(page, 'Maths level', /Expert/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Your profile is saved.' }).waitFor();

    // A full reload drops the in-memory access token: the SPA restores it by silent refresh.
    await page.reload();
    await heading(page, 'Your profile');
    expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe(renamed);
    expect(await levelRadio(page, 'Programming level', /Confident/).isChecked()).toBe(true);
    expect(await levelRadio(page, 'Maths level', /Expert/).isChecked()).toBe(true);

    await signOut(page);
    await heading(page, 'Sign in');
    // A fresh load of a protected page: the revoked refresh cookie must not restore anything.
    await page.goto('/profile');
    await heading(page, 'Sign in');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByLabel('Username', { exact: true }).count()).toBe(0);

    expectCleanSession(session);
  });

  it('shows the sign-in error inline and moves focus to it when the password is wrong', async () => {
    const session = sessions.current();
    const { page } = session;
    const student = newStudent();
    await registerThroughApi(student);

    await page.goto('/sign-in');
    await heading(page, 'Sign in');
    await page.getByLabel('Email').fill(student.email);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('That email and password do not match an account');
    await expect.poll(() => isFocused(page, alert)).toBe(true);
    await expectAccessible(page, 'the sign-in page with its error');
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    expectCleanSession(session, [/status of 401 .*\/api\/auth\/login\)$/]);
  });

  it('signs in with the keyboard alone: Tab, typing and Enter', async () => {
    const session = sessions.current();
    const { page } = session;
    const student = newStudent();
    await registerThroughApi(student);

    await page.goto('/sign-in');
    await heading(page, 'Sign in');
    // The page moves focus to its heading on arrival; the first Tab reaches the email field.
    await page.keyboard.press('Tab');
    await expect.poll(() => isFocused(page, page.getByLabel('Email'))).toBe(true);
    await page.keyboard.type(student.email);
    await page.keyboard.press('Tab');
    await expect.poll(() => isFocused(page, page.getByLabel('Password'))).toBe(true);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');

    await heading(page, `Welcome, ${student.username}`);
    expectCleanSession(session);
  });

  it('serves the SPA cross-origin isolated under the CSP from the nginx config, without violations', async () => {
    const session = sessions.current();
    const { page } = session;

    const response = await page.goto('/register');
    await heading(page, 'Create your account');
    expect(response?.headers()['content-security-policy']).toBe(nginxSpaCsp());
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expectCleanSession(session);

    // The detector works: an inline script is exactly what this CSP refuses.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
    });
    await expect.poll(() => session.cspViolations.length).toBe(1);
    expect(session.cspViolations[0]?.directive).toBe('script-src-elem');
    expect(await page.evaluate(() => 'inlineRan' in window)).toBe(false);
  });

  it('the accessibility check runs under that CSP and names what breaks a rule', async () => {
    const { page } = sessions.current();
    await page.goto('/sign-in');
    await heading(page, 'Sign in');
    await expectAccessible(page, 'the sign-in page');

    // A button with no name, as a missing label would leave it.
    await page.evaluate(() =>
      document.querySelector('main')!.append(document.createElement('button')),
    );
    await expect(expectAccessible(page, 'the sign-in page, broken')).rejects.toThrow(
      /button-name \(critical\)/,
    );
  });

  it('aborts and counts a request that would leave loopback', async () => {
    const session = sessions.current();
    const { page } = session;

    // A navigation, because the SPA's CSP (connect-src 'self') would stop a fetch before the
    // guard saw it; this proves the guard itself catches what the CSP does not cover.
    const target = 'http://example.com/hintbook-e2e';
    await expect(page.goto(target)).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    expect(session.network.blocked).toEqual([target]);
  });
});

/** The SPA's policy exactly as nginx/templates/http.conf.template writes it (the map default). */
function nginxSpaCsp(): string {
  const template = readFileSync(path.join(repoRoot, 'nginx/templates/http.conf.template'), 'utf8');
  const match = /map \$uri \$hintbook_csp \{\s*default "([^"]+)";/.exec(template);
  if (!match?.[1]) throw new Error('no default CSP in nginx/templates/http.conf.template');
  return match[1];
}
