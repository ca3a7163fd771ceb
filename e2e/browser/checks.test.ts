/**
 * Exercise checks in Chromium through nginx, on the built SPA, JupyterLite site and backend: a
 * student opens the starter module's "3. Functions", checks the square exercise with wrong code
 * (a named failing test), fixes the code, checks again and passes; the notebook never receives
 * the tests; then an admin sees the two checks on the module's page.
 *
 * Needs `npm run build` and `npm run build:jupyterlite` first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSession, useBrowserSessions } from '../support/browser.js';
import { repoRoot } from '../support/nginx.js';
import { useTutorStack } from '../support/tutor-stack.js';

const PASSWORD = 'correct horse battery staple';
const ADMIN_EMAIL = 'teacher@school.example';
const NOTEBOOK_TITLE = '3. Functions';
/** The square exercise's cell in the student's copy of 03-functions.ipynb. */
const SQUARE_CELL = 5;
const CHECK_SQUARE = 'Check 1. Exercise 1: square';

beforeAll(() => {
  if (!existsSync(path.join(repoRoot, 'jupyterlite/dist/lab/index.html'))) {
    throw new Error('jupyterlite/dist is missing: run `npm run build:jupyterlite` first.');
  }
});
const tutor = useTutorStack({ adminEmail: ADMIN_EMAIL });
const sessions = useBrowserSessions(() => ({
  baseURL: tutor.stack().baseUrl,
  viewport: { width: 1440, height: 900 },
}));

async function register(page: Page, email: string, username: string) {
  await page.goto('/register');
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
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

function lite(page: Page): FrameLocator {
  return page.frameLocator('iframe[title^="Notebook:"]');
}

/** Replaces a cell's code as typed text (insertText: no auto-indent from the editor). */
async function setCellCode(page: Page, index: number, code: string) {
  const editor = lite(page).locator('.jp-Notebook .jp-Cell').nth(index).locator('.cm-content');
  await editor.click();
  await editor.press('Control+a');
  await page.keyboard.insertText(code);
}

describe('exercise checks in the browser', () => {
  it('fails a check, passes after a fix, and the admin sees both checks', async () => {
    const { page, context } = sessions.current();
    const tag = Date.now().toString(36);
    await register(page, `chk-${tag}@example.test`, `chk_${tag}`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Modules' })
      .click();
    await page.getByRole('link', { name: NOTEBOOK_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: NOTEBOOK_TITLE }).waitFor();
    await page.locator('.loading-steps').waitFor({ state: 'detached', timeout: 60_000 });
    const exercises = page.getByRole('region', { name: /Exercises/ });
    await exercises.getByText('(0 of 2 passed)').waitFor();

    await expect
      .poll(() =>
        lite(page)
          .locator('.jp-Notebook .jp-Cell')
          .nth(SQUARE_CELL)
          .locator('.cm-content')
          .textContent(),
      )
      .toContain('raise NotImplementedError()');
    await setCellCode(page, SQUARE_CELL, 'def square(n):\n    return n + n');
    await exercises.getByRole('button', { name: CHECK_SQUARE }).click();
    await exercises
      .getByText('A test failed: assert square(3) == 9, "square(3) should be 9"')
      .waitFor({ timeout: 60_000 });
    await exercises.getByText('It says: square(3) should be 9').waitFor();

    await setCellCode(page, SQUARE_CELL, 'def square(n):\n    return n * n');
    await exercises.getByRole('button', { name: CHECK_SQUARE }).click();
    await exercises
      .getByText('Passed: every test of this exercise works.')
      .waitFor({ timeout: 60_000 });
    await exercises.getByText('(1 of 2 passed)').waitFor();

    // The tests never entered the notebook: no cell of the copy holds the hidden test.
    const cells = await lite(page).locator('.jp-Notebook .jp-Cell').allTextContents();
    expect(cells.join('\n')).not.toContain('square(-4)');

    // The admin sees the two checks and the pass.
    const admin = await openSession(context.browser()!, {
      baseURL: tutor.stack().baseUrl,
      viewport: { width: 1440, height: 900 },
    });
    try {
      await register(admin.page, ADMIN_EMAIL, 'teacher');
      await tutor.stack().adminCommand(['promote', ADMIN_EMAIL]);
      await admin.page.goto('/admin/content');
      await admin.page.getByRole('link', { name: 'Getting started with Python' }).click();
      await admin.page.getByRole('heading', { level: 2, name: 'Exercises' }).waitFor();
      const row = admin.page.getByRole('row', { name: /^square/ });
      await row.getByText('1 of 1 students').waitFor();
      expect(await row.getByRole('cell').first().textContent()).toBe('2');
      await row.getByText('100%').waitFor();
      await admin.page.getByText('Right now:').waitFor();
    } finally {
      await admin.close();
    }
  }, 180_000);
});
