/**
 * A class joins from a roster, in Chromium through nginx, on a Hintbook with closed
 * registration: the operator creates the teacher's admin account from a shell, the teacher
 * imports a class list and has the invitations mailed (a real SMTP server on loopback), a
 * student opens the mailed link, registers and lands in the group the teacher sees.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../backend/src/test/mail-catcher.js';
import { expectAccessible } from '../support/accessibility.js';
import { openSession, useBrowserSessions } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';

const PUBLIC_URL = 'https://tutor.school.example';
const TEACHER = 'teacher@school.example';

let mail: MailCatcher;
let stack: Stack;

beforeAll(async () => {
  mail = await startMailCatcher();
  stack = await startStack({
    adminEmail: TEACHER,
    env: { SMTP_URL: mail.url, PUBLIC_URL, REGISTRATION_MODE: 'closed' },
  });
});
afterEach(({ task }) => {
  if (task.result?.state === 'fail') console.error(stack.logs());
});
afterAll(async () => {
  await stack?.stop();
  await mail?.close();
});

const sessions = useBrowserSessions(() => ({ baseURL: stack.baseUrl }));

describe('class rosters in the browser', () => {
  it('an invited student joins from the mailed invitation, into the teacher’s group', async () => {
    // Registration is closed: the operator makes the teacher's account and hands over the password.
    const created = await stack.adminCommand(['create', TEACHER, 'teacher']);
    expect(created.code, created.output).toBe(0);
    const password = /One-time password: (\S+)/.exec(created.output)![1]!;

    const { page } = sessions.current();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(TEACHER);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Admin' })
      .click();
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Classes' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Classes' }).waitFor();

    await page
      .getByLabel('Class list')
      .fill('email,name,group\nnina@school.example,Nina Simone,9B\nnot-an-address,Nobody,9B');
    await page.getByLabel('Email the invitations').check();
    await page.getByRole('button', { name: 'Import class list' }).click();
    const result = page.getByRole('region', { name: 'Imported' });
    await result.getByText('Invited: 1 · Not imported: 1 · New groups: 9B').waitFor();
    await result.getByRole('cell', { name: 'Not an email address' }).waitFor();
    await expectAccessible(page, 'the classes page after an import');

    // The student, in a browser of their own, opens the mailed link.
    const invite = await mail.waitForMail('nina@school.example');
    const link = /https:\/\/\S+\/register#invite=[\w-]+/.exec(invite.text)![0];
    const student = await openSession(page.context().browser()!, { baseURL: stack.baseUrl });
    try {
      await student.page.goto(`${stack.baseUrl}${link.slice(PUBLIC_URL.length)}`);
      await student.page
        .getByText('Welcome, Nina Simone! Your teacher invited you to join 9B.')
        .waitFor();
      expect(await student.page.getByLabel('Email').inputValue()).toBe('nina@school.example');
      await expectAccessible(student.page, 'the register page from an invitation');
      await student.page.getByLabel('Username').fill('nina');
      await student.page.getByLabel('Password').fill('blue notes at midnight');
      await student.page
        .getByRole('group', { name: 'How much programming have you done?' })
        .getByRole('radio', { name: /New to it/ })
        .check();
      await student.page
        .getByRole('group', { name: 'How comfortable are you with maths?' })
        .getByRole('radio', { name: /Getting there/ })
        .check();
      await student.page.getByRole('button', { name: 'Create account' }).click();
      await student.page.getByRole('heading', { level: 1, name: 'Welcome, nina' }).waitFor();
      // The mailed invitation showed the address is hers: no "confirm your email" banner.
      expect(
        await student.page.getByRole('status', { name: 'Confirm your email address' }).count(),
      ).toBe(0);
      expect(student.network.blocked).toEqual([]);
    } finally {
      await student.close();
    }

    // The teacher sees her in the group and the invitation used.
    await page.reload();
    await page.getByRole('row', { name: /nina@school\.example.*Joined/ }).waitFor();
    await page.getByRole('link', { name: '9B' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByText('Showing 1–1 of 1').waitFor();
    await page.getByRole('link', { name: 'nina', exact: true }).waitFor();
    expect(await page.getByLabel('Group').locator('option:checked').textContent()).toBe('9B');

    // Her page shows her group; untick it and she is in none, which the filter then shows.
    await page.getByRole('link', { name: 'nina', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'nina' }).waitFor();
    const nineB = page
      .getByRole('group', { name: 'Member of' })
      .getByRole('checkbox', { name: '9B' });
    expect(await nineB.isChecked()).toBe(true);
    await expectAccessible(page, 'a student’s page with their groups');
    await nineB.uncheck();
    await page.getByRole('button', { name: 'Save groups' }).click();
    await page
      .getByText('Saved: in no group. They see the modules that are for everyone.')
      .waitFor();
    await page.goto('/admin/classes');
    await page.getByRole('row', { name: /^9B\s+0\s+0$/ }).waitFor();
  });
});
