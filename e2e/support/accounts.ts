import type { Page } from 'playwright-core';

/** The password every browser test account uses. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Creates an account on the registration page, the way a student does, and waits for home. */
export async function registerInBrowser(page: Page, email: string, username: string) {
  await page.goto('/register');
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page
    .getByRole('group', { name: 'How much programming have you done?' })
    .getByRole('radio', { name: /New to it/ })
    .check();
  await page
    .getByRole('group', { name: 'How comfortable are you with maths?' })
    .getByRole('radio', { name: /Getting there/ })
    .check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: `Welcome, ${username}` }).waitFor();
}
