/**
 * Email in Chromium through nginx, with a real SMTP server on loopback as the inbox: a student
 * registers and confirms the address from the mailed link; another forgets the password, resets
 * it from the mail, and finds every earlier sign-in ended.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, startMailCatcher, type MailCatcher } from '../../backend/src/test/mail-catcher.js';
import { registerInBrowser, TEST_PASSWORD as PASSWORD } from '../support/accounts.js';
import { openSession, useBrowserSessions } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

const NEW_PASSWORD = 'seven quiet lanterns glowing';
const PUBLIC_URL = 'https://tutor.school.example';

let mail: MailCatcher;
let stack: Stack;

beforeAll(async () => {
  mail = await startMailCatcher();
  stack = await startStack({ env: { SMTP_URL: mail.url, PUBLIC_URL } });
});
afterEach(({ task }) => {
  if (task.result?.state === 'fail') console.error(stack.logs());
});
afterAll(async () => {
  await stack?.stop();
  await mail?.close();
});

const sessions = useBrowserSessions(() => ({ baseURL: stack.baseUrl }));

/** The mailed link points at PUBLIC_URL; the test stack answers on a loopback port instead. */
function onStack(link: string): string {
  expect(link.startsWith(`${PUBLIC_URL}/`)).toBe(true);
  return `${stack.baseUrl}${link.slice(PUBLIC_URL.length)}`;
}

describe('email in the browser', () => {
  it('registers, gets the verification mail, opens the link and is verified', async () => {
    const { page, network, pageErrors } = sessions.current();
    await registerInBrowser(page, 'mia@school.example', 'mia');
    const banner = page.getByRole('status', { name: 'Confirm your email address' });
    await banner.getByText('open the link we sent to mia@school.example').waitFor();

    const sent = await mail.waitForMail('mia@school.example');
    expect(sent.subject).toBe('Confirm your email address for Hintbook');
    await page.goto(onStack(linkIn(sent, 'verify-email')));
    await page.getByText('Thank you: your email address is confirmed.').waitFor();
    // The token left the address bar once read.
    expect(new URL(page.url()).hash).toBe('');

    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, mia' }).waitFor();
    expect(await banner.count()).toBe(0);
    expect(network.blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('resets a forgotten password from the mail; the old password and sign-ins stop working', async () => {
    const { page } = sessions.current();
    await registerInBrowser(page, 'leo@school.example', 'leo');
    // Another device stays signed in with the old password.
    const other = await openSession(page.context().browser()!, { baseURL: stack.baseUrl });
    try {
      await other.page.goto('/sign-in');
      await other.page.getByLabel('Email').fill('leo@school.example');
      await other.page.getByLabel('Password').fill(PASSWORD);
      await other.page.getByRole('button', { name: 'Sign in' }).click();
      await other.page.getByRole('heading', { level: 1, name: 'Welcome, leo' }).waitFor();

      const forgot = await openSession(page.context().browser()!, { baseURL: stack.baseUrl });
      try {
        await forgot.page.goto('/sign-in');
        await forgot.page.getByRole('link', { name: 'Forgot your password?' }).click();
        await forgot.page.getByLabel('Email').fill('leo@school.example');
        await forgot.page.getByRole('button', { name: 'Send me a link' }).click();
        await forgot.page.getByText('If an account uses this address').waitFor();

        const reset = await mail.waitForMail('leo@school.example', (m) => /Reset/.test(m.subject));
        await forgot.page.goto(onStack(linkIn(reset, 'reset-password')));
        await forgot.page.getByLabel('New password').fill(NEW_PASSWORD);
        await forgot.page.getByRole('button', { name: 'Set my new password' }).click();
        await forgot.page.getByText('Your new password is set').waitFor();

        await forgot.page.getByLabel('Email').fill('leo@school.example');
        await forgot.page.getByLabel('Password').fill(PASSWORD);
        await forgot.page.getByRole('button', { name: 'Sign in' }).click();
        await forgot.page.getByText('That email and password do not match an account').waitFor();
        await forgot.page.getByLabel('Password').fill(NEW_PASSWORD);
        await forgot.page.getByRole('button', { name: 'Sign in' }).click();
        await forgot.page.getByRole('heading', { level: 1, name: 'Welcome, leo' }).waitFor();
      } finally {
        await forgot.close();
      }

      // The sign-in made before the reset is over: a reload finds no session.
      await other.page.reload();
      await other.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    } finally {
      await other.close();
    }
  });
});
