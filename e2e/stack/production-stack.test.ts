/**
 * The production stack as an operator runs it (docker-compose.prod.yml: nginx with TLS, the
 * backend image, PostgreSQL with pgvector), driven through nginx over HTTPS by Chromium the way
 * a student uses it: register, open the starter notebook (cross-origin isolated, Python runs),
 * ask the tutor and watch the answer stream over socket.io. The AI vendor is the project's fake
 * OpenAI server, running in its own container on the compose network.
 *
 * Run by scripts/stack-test.sh, which builds the images, starts the stack and passes
 *   HINTBOOK_STACK_URL   https://localhost:<port> (nginx)
 *   HINTBOOK_STACK_SPKI  base64 SHA-256 of the certificate's public key (Chromium trusts it)
 *   HINTBOOK_STACK_FAKE  http://127.0.0.1:<port> (the fake vendor's control API)
 * and reads the account it registers from HINTBOOK_STACK_ACCOUNT_FILE. Skipped without them.
 */
import { writeFile } from 'node:fs/promises';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInBrowser } from '../support/accounts.js';
import { launchBrowser, openSession, saveFailureArtifacts } from '../support/browser.js';

const stackUrl = process.env.HINTBOOK_STACK_URL;
const spki = process.env.HINTBOOK_STACK_SPKI ?? '';
const fakeUrl = process.env.HINTBOOK_STACK_FAKE ?? '';
const accountFile = process.env.HINTBOOK_STACK_ACCOUNT_FILE;
const NOTEBOOK_TITLE = '2. Lists and loops';
const ANSWER_CHUNKS = ['Count ', 'the positions ', 'your list has.'];

async function scriptFake(script: unknown) {
  const response = await fetch(`${fakeUrl}/__fake/default`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(script),
  });
  expect(response.ok).toBe(true);
}

async function streamedAnswerCalls(): Promise<number> {
  const calls = (await (await fetch(`${fakeUrl}/__fake/calls`)).json()) as Array<{
    body?: { stream?: boolean };
  }>;
  return calls.filter((call) => call.body?.stream === true).length;
}

function lite(page: Page): FrameLocator {
  return page.frameLocator('iframe[title^="Notebook:"]');
}

describe.skipIf(!stackUrl)('the production stack through nginx over HTTPS', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${spki}`]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('registers a student, runs Python in the workspace and streams a tutor answer', async () => {
    const session = await openSession(browser, {
      baseURL: stackUrl,
      viewport: { width: 1440, height: 900 },
    });
    const { page } = session;
    try {
      await scriptFake({
        structured: {
          isNewProblem: true,
          isElaborationRequest: false,
          difficulty: { programming: 2, maths: 1 },
          problemSummary: 'Reading past the end of a list.',
        },
        chunks: ANSWER_CHUNKS,
      });
      const tag = Date.now().toString(36);
      const email = `stack-${tag}@example.test`;
      await registerInBrowser(page, email, `stack_${tag}`);
      if (accountFile) await writeFile(accountFile, `${email}\n`);

      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Modules' })
        .click();
      await page
        .getByRole('region', { name: 'Getting started with Python' })
        .getByRole('link', { name: NOTEBOOK_TITLE })
        .click();
      await page.getByRole('heading', { level: 1, name: NOTEBOOK_TITLE }).waitFor();
      await page.locator('.loading-steps').waitFor({ state: 'detached', timeout: 120_000 });

      // Both frames are cross-origin isolated (nginx's COOP/COEP): the kernel needs it.
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const liteFrame = page.frames().find((frame) => frame.url().includes('/jupyterlite/'));
      expect(await liteFrame?.evaluate(() => crossOriginIsolated)).toBe(true);

      // Python runs: the first code cell prints the list.
      const firstCode = lite(page).locator('.jp-Notebook .jp-Cell').nth(1);
      await firstCode.locator('.cm-content').click();
      await firstCode.locator('.cm-content').press('Shift+Enter');
      await firstCode
        .locator('.jp-OutputArea-output')
        .filter({ hasText: 'apple' })
        .first()
        .waitFor({ timeout: 60_000 });

      // The tutor's answer arrives over socket.io through nginx, chunk by chunk.
      const composer = page.getByLabel('Your question');
      await composer.fill('Why would reading fruits[len(fruits)] fail?');
      await composer.press('Enter');
      await page
        .getByRole('article', { name: 'The tutor answered' })
        .getByText('your list has.')
        .waitFor({ timeout: 30_000 });
      expect(await streamedAnswerCalls()).toBeGreaterThan(0);

      expect(session.network.blocked, 'requests that tried to leave loopback').toEqual([]);
      expect(session.pageErrors, 'uncaught page errors').toEqual([]);
      expect(session.cspViolations, 'CSP violations').toEqual([]);
    } catch (error) {
      const file = await saveFailureArtifacts(page, 'production-stack').catch(() => '');
      console.error(`production stack test failed on ${page.url()} (screenshot ${file})`);
      console.error(JSON.stringify({ console: session.consoleErrors, page: session.pageErrors }));
      throw error;
    } finally {
      await session.close();
    }
  }, 240_000);
});
