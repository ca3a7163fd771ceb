/**
 * The admin panel in Chromium through nginx, on the built backend and SPA, with the AI vendor
 * replaced by the fake OpenAI server. An admin (registered with the ADMIN_EMAIL address) creates
 * a module, uploads a notebook through the file input and publishes it; a student, in a second
 * browser context, finds it, opens it and asks the tutor a question twice in other words; the
 * admin then sees those turns in the usage chart and in the student's own figures, and the two
 * wordings in one group on "What students ask". The student never downloads the admin chunk.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInBrowser } from '../support/accounts.js';
import { expectAccessible } from '../support/accessibility.js';
import { openSession, useBrowserSessions, type BrowserSession } from '../support/browser.js';
import { useTutorStack } from '../support/tutor-stack.js';

const ADMIN_EMAIL = 'teacher@school.example';
const MODULE_TITLE = 'Loops for beginners';
const NOT_FOR_YOU = 'This page is not for you';
const NOTEBOOK_TITLE = 'Counting with for';

/** A small, valid nbformat 4 notebook. */
const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python', display_name: 'Python (Pyodide)', language: 'python' },
    language_info: { name: 'python' },
  },
  cells: [
    {
      id: 'intro',
      cell_type: 'markdown',
      metadata: {},
      source: ['# Counting\n', 'A `for` loop repeats a block.'],
    },
    {
      id: 'loop',
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: ['for n in range(3):\n', '    print(n)'],
    },
  ],
};

/** Admin pages and the chart library live in these chunks; a student must fetch none of them. */
const ADMIN_CHUNK = /\/assets\/(AdminApp|UsageChart)-[\w-]+\.(js|css)$/;

let tempDir: string;
let notebookPath: string;

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-admin-e2e-'));
  notebookPath = path.join(tempDir, 'counting-with-for.ipynb');
  await writeFile(notebookPath, JSON.stringify(NOTEBOOK, null, 1));
});
const tutor = useTutorStack({ adminEmail: ADMIN_EMAIL });

afterAll(async () => {
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

const sessions = useBrowserSessions(() => ({
  baseURL: tutor.stack().baseUrl,
  viewport: { width: 1280, height: 900 },
}));

function expectNoLeaksOrCsp(session: BrowserSession, who: string) {
  expect(session.network.blocked, `${who}: requests that tried to leave loopback`).toEqual([]);
  expect(session.cspViolations, `${who}: CSP violations`).toEqual([]);
  expect(session.pageErrors, `${who}: uncaught page errors`).toEqual([]);
}

function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

function adminNav(page: Page) {
  return page.getByRole('navigation', { name: 'Admin sections' });
}

/** A number as the admin's locale printed it ("1,234" → 1234). */
function numberIn(text: string | null): number {
  return Number((text ?? '').replace(/[^\d.]/g, ''));
}

describe('the admin panel in the browser', () => {
  it('publishes a notebook a student opens, then shows the student’s questions to the admin', async () => {
    const admin = sessions.current();
    const adminPage = admin.page;
    const adminUrls: string[] = [];
    admin.context.on('request', (request) => adminUrls.push(request.url()));

    // Registering the ADMIN_EMAIL address is not enough: whoever registers it first would take
    // the panel. Until the address is verified the account is a student's, even at /admin.
    await registerInBrowser(adminPage, ADMIN_EMAIL, 'teacher');
    await mainNav(adminPage).getByRole('link', { name: 'Modules' }).waitFor();
    expect(await mainNav(adminPage).getByRole('link', { name: 'Admin', exact: true }).count()).toBe(
      0,
    );
    await adminPage.goto('/admin');
    await adminPage.getByRole('heading', { level: 1, name: NOT_FOR_YOU }).waitFor();

    // The operator confirms the account from a shell; the panel appears at the next load.
    const refused = await tutor.stack().adminCommand(['promote', 'someone@school.example']);
    expect(refused).toMatchObject({ code: 1, output: expect.stringMatching(/not in ADMIN_EMAIL/) });
    const promoted = await tutor.stack().adminCommand(['promote', ADMIN_EMAIL]);
    expect(promoted, promoted.output).toMatchObject({ code: 0 });
    expect(promoted.output).toContain(`${ADMIN_EMAIL} (teacher) is admin now`);
    await adminPage.goto('/');
    await mainNav(adminPage).getByRole('link', { name: 'Admin', exact: true }).click();
    await adminPage.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await adminPage.getByRole('heading', { level: 2, name: 'AI status' }).waitFor();
    await adminPage.getByRole('meter', { name: 'Monthly AI budget used' }).waitFor();
    await expectAccessible(adminPage, 'the admin overview');

    // Content: create a module, upload a notebook through the file input, publish.
    await adminNav(adminPage).getByRole('link', { name: 'Content' }).click();
    await adminPage.getByRole('heading', { level: 1, name: 'Content' }).waitFor();
    await adminPage.getByLabel('Title', { exact: true }).fill(MODULE_TITLE);
    expect(await adminPage.getByLabel('Short name (slug)').inputValue()).toBe(
      'loops-for-beginners',
    );
    await adminPage.getByLabel('Description').fill('Repeat things without repeating yourself.');
    await adminPage.getByRole('button', { name: 'Create module' }).click();
    await adminPage.getByRole('link', { name: MODULE_TITLE }).click();
    await adminPage.getByRole('heading', { level: 1, name: MODULE_TITLE }).waitFor();
    await adminPage
      .getByText(
        'Draft: students do not see this module yet. Add a notebook before you publish it.',
      )
      .waitFor();

    await adminPage.getByLabel('Notebook file (.ipynb)').setInputFiles(notebookPath);
    await adminPage.getByLabel('Notebook title').fill(NOTEBOOK_TITLE);
    await adminPage.getByRole('button', { name: 'Upload notebook' }).click();
    await adminPage.getByText(`Added “${NOTEBOOK_TITLE}”.`).waitFor();
    const notebooks = adminPage.getByRole('list', { name: 'Notebooks in order' });
    await notebooks.getByText(NOTEBOOK_TITLE, { exact: true }).waitFor();
    await adminPage
      .getByText('Draft: students do not see this module yet.', { exact: true })
      .waitFor();

    // The preview shows the cells as a student gets them.
    await notebooks.getByRole('button', { name: 'Preview' }).click();
    await adminPage
      .getByRole('region', { name: 'Preview' })
      .getByText('for n in range(3):')
      .waitFor();
    await expectAccessible(adminPage, 'a module page with a notebook previewed');

    await adminPage.getByRole('button', { name: 'Publish module' }).click();
    await adminPage.getByText('Published: students see this module.').waitFor();

    // A student, in a second context, sees the module and opens the notebook.
    const student = await openSession(admin.context.browser()!, {
      baseURL: tutor.stack().baseUrl,
      viewport: { width: 1280, height: 900 },
    });
    const studentUrls: string[] = [];
    student.context.on('request', (request) => studentUrls.push(request.url()));
    try {
      const studentPage = student.page;
      const tag = Date.now().toString(36);
      const username = `student_${tag}`;
      await registerInBrowser(studentPage, `student-${tag}@example.test`, username);
      expect(await mainNav(studentPage).getByRole('link', { name: 'Admin' }).count()).toBe(0);

      await mainNav(studentPage).getByRole('link', { name: 'Modules' }).click();
      await studentPage.getByRole('heading', { level: 1, name: 'Modules' }).waitFor();
      const module = studentPage.getByRole('region', { name: MODULE_TITLE });
      await module.getByRole('link', { name: NOTEBOOK_TITLE }).click();
      await studentPage.getByRole('heading', { level: 1, name: NOTEBOOK_TITLE }).waitFor();

      // One tutor turn from the chat page.
      tutor.fake().setDefault({
        structured: {
          isNewProblem: true,
          isElaborationRequest: false,
          difficulty: { programming: 1, maths: 1 },
          problemSummary: 'Counting with a for loop.',
        },
        chunks: ['What ', 'does ', 'range(3) ', 'give ', 'you?'],
        usage: { inputTokens: 321, outputTokens: 45 },
      });
      await mainNav(studentPage).getByRole('link', { name: 'Tutor', exact: true }).click();
      await studentPage.getByRole('heading', { level: 1, name: 'Tutor' }).waitFor();
      await studentPage.getByLabel('Your question').fill('Why does my loop print 0, 1, 2?');
      await studentPage.getByLabel('Your question').press('Enter');
      await studentPage
        .getByRole('article', { name: 'The tutor answered' })
        .getByText('What does range(3) give you?')
        .waitFor();
      // The same question again in other words, for "What students ask": once the first answer
      // has ended (the box takes no question while one runs), as a student would wait.
      await studentPage.getByRole('button', { name: 'Stop answer' }).waitFor({ state: 'detached' });
      await studentPage.getByLabel('Your question').fill('My for loop only prints 0, 1, 2: why?');
      await studentPage.getByLabel('Your question').press('Enter');
      await expect
        .poll(() => studentPage.getByRole('article', { name: 'The tutor answered' }).count())
        .toBe(2);

      // A student who types the address gets a page saying it is not for them, and no chunk.
      await studentPage.goto('/admin/usage');
      await studentPage
        .getByRole('heading', { level: 1, name: 'This page is not for you' })
        .waitFor();

      // The admin sees the turn: in the usage chart and table split by user…
      await adminNav(adminPage).getByRole('link', { name: 'Usage' }).click();
      await adminPage.getByRole('heading', { level: 1, name: 'Usage and cost' }).waitFor();
      await adminPage.getByLabel('Split by').selectOption('user');
      const chart = adminPage.getByRole('figure', { name: 'Tokens per day, by user' });
      await chart.waitFor();
      await expect.poll(() => chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
      await chart.locator('.recharts-legend-item').filter({ hasText: username }).waitFor();
      const row = adminPage.getByRole('row').filter({
        has: adminPage.getByRole('rowheader', { name: username, exact: true }),
      });
      await row.waitFor();
      const cells = row.getByRole('cell');
      expect(numberIn(await cells.nth(1).textContent())).toBeGreaterThan(0); // input tokens
      expect(numberIn(await cells.nth(2).textContent())).toBeGreaterThan(0); // output tokens
      expect(await cells.nth(4).textContent()).toMatch(/^\$/); // cost in US dollars
      await expectAccessible(adminPage, 'the usage page with its chart');
      // On a phone the table scrolls sideways, and the keyboard can scroll it too.
      await adminPage.setViewportSize({ width: 390, height: 844 });
      await adminPage.getByRole('region', { name: 'Usage per period, scrolls sideways' }).waitFor();
      await expectAccessible(adminPage, 'the usage page on a phone');
      await adminPage.setViewportSize({ width: 1280, height: 900 });

      // …and in the student's own figures on the People pages.
      await adminNav(adminPage).getByRole('link', { name: 'People' }).click();
      await adminPage.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await adminPage.getByLabel('Email or username').fill(username);
      await adminPage.getByRole('button', { name: 'Search' }).click();
      await adminPage.getByText('Showing 1–1 of 1').waitFor();
      const personRow = adminPage.getByRole('row').filter({ hasText: username });
      expect(numberIn(await personRow.getByRole('cell').nth(2).textContent())).toBeGreaterThan(0);
      await personRow.getByRole('link', { name: username }).click();
      await adminPage.getByRole('heading', { level: 1, name: username }).waitFor();
      const today = adminPage.getByRole('row').filter({
        has: adminPage.getByRole('rowheader', { name: 'Today' }),
      });
      expect(numberIn(await today.getByRole('cell').first().textContent())).toBeGreaterThan(0);
      await expectAccessible(adminPage, 'a student’s page');

      // What students ask: both wordings in one group (by keywords: the stack has no embedding key).
      await adminNav(adminPage).getByRole('link', { name: 'What students ask' }).click();
      await adminPage.getByRole('heading', { level: 1, name: 'What students ask' }).waitFor();
      await adminPage.getByText(/no embedding key is configured/).waitFor();
      const groups = adminPage.getByRole('list', {
        name: 'Groups of similar questions, largest first',
      });
      await groups.getByRole('heading', { level: 3, name: /loop/ }).waitFor();
      await groups.getByText(/2 questions from 1 student/).waitFor();
      await expectAccessible(adminPage, 'what students ask');

      // The module's progress student by student, as the CSV a teacher puts in a gradebook.
      await adminNav(adminPage).getByRole('link', { name: 'Content' }).click();
      await adminPage.getByRole('link', { name: MODULE_TITLE }).click();
      await adminPage.getByRole('heading', { level: 1, name: MODULE_TITLE }).waitFor();
      const [download] = await Promise.all([
        adminPage.waitForEvent('download'),
        adminPage.getByRole('button', { name: 'Download progress per student (CSV)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        /^hintbook-loops-for-beginners-progress-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const csv = (await readFile(await download.path(), 'utf8')).split('\r\n');
      expect(csv[0]).toBe(
        `username,email,groups,${NOTEBOOK_TITLE}: status,${NOTEBOOK_TITLE}: last change`,
      );
      // She opened the notebook and changed nothing: not started, with the copy's date.
      expect(csv).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${username},student-${tag}@example\\.test,,not started,\\d{4}-`),
        ),
      );

      // The admin chunk was fetched by the admin, never by the student.
      const adminChunks = adminUrls.filter((url) => ADMIN_CHUNK.test(new URL(url).pathname));
      expect(adminChunks.some((url) => /AdminApp-[\w-]+\.js$/.test(url))).toBe(true);
      const chunkNames = new Set(adminChunks.map((url) => path.basename(new URL(url).pathname)));
      const leaked = studentUrls.filter(
        (url) =>
          ADMIN_CHUNK.test(new URL(url).pathname) ||
          chunkNames.has(path.basename(new URL(url).pathname)),
      );
      expect(leaked, 'admin chunks the student downloaded').toEqual([]);

      expectNoLeaksOrCsp(student, 'student');
    } finally {
      await student.close();
    }
    expectNoLeaksOrCsp(admin, 'admin');
  });
});
