/**
 * Exercise checks in Chromium through nginx, on the built SPA, JupyterLite site and backend: a
 * student opens the starter module's "3. Functions", checks the square exercise with wrong code
 * (a named failing test), asks the tutor — whose model answers with the reference solution, which
 * the answer guard keeps from the student — fixes the code, checks again and passes; nothing the
 * browser received before the fix holds the reference solution, and the notebook never receives
 * the tests. The admin sees the two checks, then sets an exam window: the tutor refuses with the
 * policy in plain words.
 *
 * Needs `npm run build` and `npm run build:jupyterlite` first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeScript } from '../../backend/src/test/fake-providers/index.js';
import { registerInBrowser } from '../support/accounts.js';
import { openSession, useBrowserSessions } from '../support/browser.js';
import { repoRoot } from '../support/nginx.js';
import { useTutorStack } from '../support/tutor-stack.js';

const ADMIN_EMAIL = 'teacher@school.example';
const NOTEBOOK_TITLE = '3. Functions';
/** The square exercise's cell in the student's copy of 03-functions.ipynb. */
const SQUARE_CELL = 5;
const CHECK_SQUARE = 'Check Exercise 1: square';

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

/** What a model that ignores the hint rules writes: the exercise's solution, ready to paste. */
const LEAKING_ANSWER: FakeScript = {
  structured: {
    isNewProblem: true,
    isElaborationRequest: false,
    showedEffort: true,
    difficulty: { programming: 1, maths: 1 },
    problemSummary: 'Writing square(n).',
  },
  chunks: [
    'Sure! ',
    'Here is the answer:\n\n',
    '```python\ndef square(n):\n',
    '    return n * n\n```\n',
  ],
};
const REFERENCE_SOLUTION = 'return n * n';

/** Every /api body and socket.io frame the page received, as text. */
function recordTraffic(page: Page): string[] {
  const received: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', (frame) => received.push(String(frame.payload))),
  );
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/')) return;
    void response.text().then(
      (text) => received.push(text),
      () => {},
    );
  });
  return received;
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
  it('fails a check, gets a hint not the solution, passes after a fix; the admin sees it and an exam window stops the tutor', async () => {
    const { page, context } = sessions.current();
    const received = recordTraffic(page);
    tutor.fake().setDefault(LEAKING_ANSWER);
    const tag = Date.now().toString(36);
    await registerInBrowser(page, `chk-${tag}@example.test`, `chk_${tag}`);
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

    // Asked about the exercise, the model hands over the solution; the student gets a hint.
    const composer = page.getByLabel('Your question');
    await composer.fill('My square is wrong, what is the answer?');
    await composer.press('Enter');
    const answered = page.getByRole('article', { name: 'The tutor answered' }).last();
    await answered.getByText('one step at a time').waitFor({ timeout: 30_000 });
    expect(await answered.textContent()).not.toContain('n * n');
    // Nothing the browser received so far (API bodies, socket frames) holds the solution.
    await expect.poll(() => received.length).toBeGreaterThan(10);
    expect(received.filter((text) => text.includes(REFERENCE_SOLUTION))).toEqual([]);

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
      await registerInBrowser(admin.page, ADMIN_EMAIL, 'teacher');
      await tutor.stack().adminCommand(['promote', ADMIN_EMAIL]);
      await admin.page.goto('/admin/content');
      await admin.page.getByRole('link', { name: 'Getting started with Python' }).click();
      await admin.page.getByRole('heading', { level: 2, name: 'Exercises' }).waitFor();
      const row = admin.page.getByRole('row', { name: /^square/ });
      await row.getByText('1 of 1 students').waitFor();
      expect(await row.getByRole('cell').first().textContent()).toBe('2');
      await row.getByText('100%').waitFor();
      await admin.page.getByText('Right now:').waitFor();

      // An exam window from an hour ago to an hour from now: the tutor refuses, saying why.
      const moduleId = new URL(admin.page.url()).pathname.split('/').at(-1)!;
      const token = await admin.page.evaluate(async () => {
        const response = await fetch('/api/auth/refresh', {
          method: 'POST',
          headers: { 'X-Hintbook-Refresh': '1' },
        });
        return ((await response.json()) as { accessToken: string }).accessToken;
      });
      const hour = 3_600_000;
      const local = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16);
      const saved = await admin.page.request.put(`/api/admin/modules/${moduleId}/ai-policy`, {
        headers: { Authorization: `Bearer ${token}` },
        data: {
          mode: 'on',
          windows: [
            {
              label: 'the exam',
              start: local(-hour),
              end: local(hour),
              timeZone: 'UTC',
              mode: 'off',
            },
          ],
        },
      });
      expect(saved.status(), await saved.text()).toBe(200);
    } finally {
      await admin.close();
    }
    // The box takes no question while an answer runs.
    await page.getByRole('button', { name: 'Stop answer' }).waitFor({ state: 'detached' });
    await composer.fill('Can you help me with is_even?');
    await composer.press('Enter');
    await page
      .getByText(/The tutor is off for this module during the exam until/)
      .first()
      .waitFor();
  }, 180_000);
});
