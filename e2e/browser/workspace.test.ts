/**
 * The notebook workspace in Chromium through nginx: the built SPA, the built JupyterLite site
 * (served by the repository's nginx from jupyterlite/dist), the built backend, and the AI vendor
 * replaced by the fake OpenAI server. A student opens the seeded starter module, runs cells in
 * the real JupyterLite UI, asks the tutor about an error (the live context must reach the
 * model, as data in the question's turn), edits a cell, sees it autosaved and finds it again after a reload.
 *
 * Needs `npm run build` and `npm run build:jupyterlite` first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedCall } from '../../backend/src/test/fake-providers/index.js';
import { expectAccessible } from '../support/accessibility.js';
import { useBrowserSessions, type BrowserSession } from '../support/browser.js';
import { repoRoot } from '../support/nginx.js';
import { useTutorStack } from '../support/tutor-stack.js';

const PASSWORD = 'correct horse battery staple';
const ANSWER_MODEL = 'gpt-5-mini';
const NOTEBOOK_TITLE = '2. Lists and loops';
/** The starter module's cell that raises on purpose (02-lists-and-loops.ipynb, cell 9). */
const RAISING_SOURCE = 'print(fruits[len(fruits)])';
const EDIT_MARKER = 'print("edited in the e2e test")';

beforeAll(() => {
  if (!existsSync(path.join(repoRoot, 'jupyterlite/dist/lab/index.html'))) {
    throw new Error('jupyterlite/dist is missing: run `npm run build:jupyterlite` first.');
  }
});
const tutor = useTutorStack();

const sessions = useBrowserSessions(() => ({
  baseURL: tutor.stack().baseUrl,
  viewport: { width: 1440, height: 900 },
}));

function expectCleanSession(session: BrowserSession) {
  expect(session.network.blocked, 'requests that tried to leave loopback').toEqual([]);
  expect(session.pageErrors, 'uncaught page errors').toEqual([]);
  expect(session.cspViolations, 'CSP violations').toEqual([]);
  // A signed-out first visit asks for no session with a 204, so no error is expected at all.
  expect(session.consoleErrors, 'console errors').toEqual([]);
}

async function register(page: Page) {
  const tag = Date.now().toString(36);
  await page.goto('/register');
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await page.getByLabel('Email').fill(`ws-${tag}@example.test`);
  await page.getByLabel('Username').fill(`ws_${tag}`);
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
  await page.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
}

function lite(page: Page): FrameLocator {
  return page.frameLocator('iframe[title^="Notebook:"]');
}

/** The nth cell of the open notebook inside JupyterLite. */
function cell(page: Page, index: number) {
  return lite(page).locator('.jp-Notebook .jp-Cell').nth(index);
}

/** Waits for the workspace's loading panel to go away: the notebook is open and Python runs. */
async function waitForKernel(page: Page): Promise<number> {
  const start = Date.now();
  await page.getByRole('status').filter({ hasText: 'Loading the notebook app' }).waitFor();
  await page.locator('.loading-steps').waitFor({ state: 'detached', timeout: 60_000 });
  return Date.now() - start;
}

async function runCell(page: Page, index: number, keys = 'Shift+Enter') {
  const editor = cell(page, index).locator('.cm-content');
  await editor.click();
  await editor.press(keys);
}

function answerCalls(): RecordedCall[] {
  return tutor.fake().calls.filter((call) => {
    const body = call.body as { stream?: boolean; model?: string } | undefined;
    return body?.stream === true && body.model === ANSWER_MODEL;
  });
}

/** The student's turn of an OpenAI chat request: the live notebook context travels there as data. */
function questionTurnText(call: RecordedCall): string {
  const { messages } = call.body as { messages: Array<{ role: string; content: unknown }> };
  return messages
    .filter((message) => message.role === 'user')
    .slice(-1)
    .map((message) =>
      typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
    )
    .join('\n');
}

function saveStatus(page: Page) {
  return page.locator('.save-status');
}

describe('the notebook workspace in the browser', () => {
  it('runs Python, asks the tutor with the live error, autosaves and keeps an edit', async () => {
    const session = sessions.current();
    const { page } = session;
    tutor.fake().setDefault({
      structured: {
        isNewProblem: true,
        isElaborationRequest: false,
        difficulty: { programming: 2, maths: 1 },
        problemSummary: 'An IndexError when reading the last element of a list.',
      },
      chunks: ['Look at ', 'which positions ', 'the list has.'],
    });
    const testStart = Date.now();

    await register(page);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Modules' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Modules' }).waitFor();
    const starter = page.getByRole('region', { name: 'Getting started with Python' });
    await starter.getByText('0 of 4 completed').waitFor();
    expect(await starter.getByText('Not started').count()).toBe(4);
    const saves: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().endsWith('/copy')) saves.push(request.url());
    });
    await starter.getByRole('link', { name: NOTEBOOK_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: NOTEBOOK_TITLE }).waitFor();
    // Whether the save badge ever says "Saving…" from here on.
    await page.evaluate(() => {
      const seen = window as unknown as { sawSaving?: boolean };
      seen.sawSaving = false;
      new MutationObserver(() => {
        if (document.querySelector('.save-status-saving')) seen.sawSaving = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const kernelMs = await waitForKernel(page);
    console.log(`workspace: notebook app + Python ready ${kernelMs} ms after the page opened`);
    // Opening is no edit: the kernel's language_info, which JupyterLab writes into the notebook,
    // is not saved (past autosave's 2.5 s wait), and the notebook is still not started.
    await page.waitForTimeout(4_000);
    expect(saves).toEqual([]);
    // Nor does the badge say it is saving something.
    expect(await page.evaluate(() => (window as { sawSaving?: boolean }).sawSaving)).toBe(false);
    await saveStatus(page)
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await page.getByText('Not started', { exact: true }).waitFor();

    // Both frames are cross-origin isolated (the kernel uses SharedArrayBuffer).
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const liteFrame = page.frames().find((frame) => frame.url().includes('/jupyterlite/'));
    expect(liteFrame).toBeDefined();
    expect(await liteFrame!.evaluate(() => crossOriginIsolated)).toBe(true);

    // Run the first code cell and see its output.
    const runStart = Date.now();
    await runCell(page, 1);
    await cell(page, 1)
      .locator('.jp-OutputArea-output')
      .filter({ hasText: 'apple' })
      .first()
      .waitFor();
    console.log(`workspace: first cell output after ${Date.now() - runStart} ms`);

    // The cell that raises; Ctrl+Enter keeps it the active cell.
    await expect
      .poll(() => cell(page, 9).locator('.cm-content').textContent())
      .toContain(RAISING_SOURCE);
    await runCell(page, 9, 'Control+Enter');
    await cell(page, 9)
      .locator('.jp-OutputArea-output')
      .filter({ hasText: 'IndexError' })
      .first()
      .waitFor();

    // Ask the tutor: the live context goes with the question.
    const composer = page.getByLabel('Your question');
    await composer.focus();
    // Before it is asked, the pane says what goes with the question: this cell and its error.
    const sees = page.locator('.tutor-sees');
    await sees.filter({ hasText: 'the last error, IndexError' }).waitFor();
    expect(await sees.locator('code').first().textContent()).toBe(
      RAISING_SOURCE.split('\n')[0]!.trim().slice(0, 40),
    );
    // Screen readers read it as the question box's description.
    expect((await composer.getAttribute('aria-describedby'))?.split(' ')).toContain(
      await sees.getAttribute('id'),
    );
    await expectAccessible(page, 'the workspace with what the tutor sees');
    await composer.fill('Why does this cell crash?');
    await composer.press('Enter');
    await page
      .getByRole('article', { name: 'The tutor answered' })
      .getByText('the list has.')
      .waitFor();
    const calls = answerCalls();
    expect(calls.length).toBeGreaterThan(0);
    const turn = questionTurnText(calls.at(-1)!);
    expect(turn).toContain(RAISING_SOURCE);
    expect(turn).toContain('IndexError');
    expect(turn).toContain('list index out of range');
    expect(turn).not.toContain('\u001b');
    expect(turn).not.toContain("<class 'IndexError'>");

    // The line follows the notebook: another cell run shows up without going back to the box.
    await runCell(page, 1, 'Control+Enter');
    await sees.filter({ hasText: 'fruits = ["apple", "banana", "cherry"]' }).waitFor();

    // Edit a cell: the badge goes to Saving… and then to Saved.
    const exercise = cell(page, 7).locator('.cm-content');
    await exercise.click();
    await exercise.press('Control+End');
    await exercise.pressSequentially(`\n${EDIT_MARKER}`);
    const editedAt = Date.now();
    await saveStatus(page).filter({ hasText: 'Saving' }).waitFor({ timeout: 10_000 });
    await saveStatus(page).filter({ hasText: 'Saved' }).waitFor({ timeout: 15_000 });
    console.log(`workspace: edit saved ${Date.now() - editedAt} ms after typing`);

    // After a reload the edit is there (the backend is the only copy: memory storage in lite).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: NOTEBOOK_TITLE }).waitFor();
    const reloadKernelMs = await waitForKernel(page);
    console.log(`workspace: ready again ${reloadKernelMs} ms after the reload`);
    await expect
      .poll(() => cell(page, 7).locator('.cm-content').textContent(), { timeout: 10_000 })
      .toContain(EDIT_MARKER);
    // The conversation is found again for this notebook.
    await page
      .getByRole('article', { name: 'The tutor answered' })
      .getByText('the list has.')
      .waitFor();

    // The split is resizable from the keyboard, and stacks on a phone.
    const separator = page.getByRole('separator', { name: 'Resize the notebook and the tutor' });
    const before = Number(await separator.getAttribute('aria-valuenow'));
    await separator.focus();
    await separator.press('ArrowRight');
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBe(before + 5);
    await page.setViewportSize({ width: 390, height: 844 });
    await separator.waitFor({ state: 'hidden' });
    const notebookBox = await page.locator('.workspace-notebook').boundingBox();
    const tutorBox = await page.locator('.workspace-tutor').boundingBox();
    expect(tutorBox!.y).toBeGreaterThan(notebookBox!.y + notebookBox!.height - 1);
    await page.screenshot({ path: path.join(repoRoot, 'e2e/artifacts/workspace-phone.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(repoRoot, 'e2e/artifacts/workspace-laptop.png') });

    // Progress shows on the modules page.
    await page.getByRole('link', { name: '← Modules' }).click();
    await starter.getByText('In progress').first().waitFor();

    console.log(`workspace: whole test ${Date.now() - testStart} ms`);
    expectCleanSession(session);
  }, 120_000);
});
