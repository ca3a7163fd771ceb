/**
 * Python for data in the workspace, in Chromium through nginx (the real stack, every
 * non-loopback request aborted and counted): the starter's data notebook draws a pandas bar
 * plot, a cell uses numpy, pandas with time zones, scipy.stats and scikit-learn, the packages
 * load from our origin on first import with a note while they do, and the tutor gets the plot
 * as a sentence, never as an image.
 *
 * Needs `npm run build` and `npm run build:jupyterlite` first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedCall } from '../../backend/src/test/fake-providers/index.js';
import { registerInBrowser } from '../support/accounts.js';
import { useBrowserSessions } from '../support/browser.js';
import { repoRoot } from '../support/nginx.js';
import { useTutorStack } from '../support/tutor-stack.js';

const ANSWER_MODEL = 'gpt-5-mini';
const NOTEBOOK_TITLE = '4. A small data task';
/** The plot cell at the end of 04-working-with-data.ipynb. */
const PLOT_SOURCE = 'by_class.plot(kind="bar"';
/** One line per library; each prints a value only a working library computes. */
const SCIENCE_CELL = [
  'import numpy as np, pandas as pd, scipy.stats as st',
  'from sklearn.linear_model import LinearRegression',
  'from zoneinfo import ZoneInfo',
  'print("numpy", np.__version__, int(np.arange(10).sum()))',
  // Europe/Paris leaves winter time on 31 March 2024: noon is 11:00 UTC, then 10:00 UTC.
  'paris = pd.Series(pd.date_range("2024-03-30 12:00", periods=3, freq="D", tz="Europe/Paris"))',
  'print("utc hours", paris.dt.tz_convert("UTC").dt.hour.tolist())',
  'print("new york", pd.Timestamp("2024-07-01", tz=ZoneInfo("America/New_York")).utcoffset())',
  'print("p value", round(float(st.ttest_ind([1, 2, 3, 4], [3, 4, 5, 6]).pvalue), 4))',
  'x = np.arange(10).reshape(-1, 1)',
  'print("slope", LinearRegression().fit(x, 2 * x.ravel() + 1).coef_.round(3).tolist())',
].join('\n');

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

function lite(page: Page): FrameLocator {
  return page.frameLocator('iframe[title^="Notebook:"]');
}

/** The notebook's active cell (JupyterLab renders only the cells near the viewport). */
function activeCell(page: Page) {
  return lite(page).locator('.jp-Notebook .jp-Cell.jp-mod-active');
}

function questionTurnText(call: RecordedCall): string {
  const { messages } = call.body as { messages: Array<{ role: string; content: unknown }> };
  const last = messages.filter((message) => message.role === 'user').at(-1);
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

describe('Python for data in the workspace', () => {
  it('plots with pandas, computes with numpy, scipy and scikit-learn offline, and describes the plot to the tutor', async () => {
    const session = sessions.current();
    const { page } = session;
    tutor.fake().setDefault({
      structured: {
        isNewProblem: true,
        isElaborationRequest: false,
        difficulty: { programming: 2, maths: 1 },
        problemSummary: 'Reading a bar plot of class averages.',
      },
      chunks: ['Compare ', 'the heights ', 'of the bars.'],
    });
    const tag = Date.now().toString(36);
    await registerInBrowser(page, `sci-${tag}@example.test`, `sci_${tag}`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Modules' })
      .click();
    await page
      .getByRole('region', { name: 'Getting started with Python' })
      .getByRole('link', { name: NOTEBOOK_TITLE })
      .click();
    await page.getByRole('heading', { level: 1, name: NOTEBOOK_TITLE }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading the notebook app' }).waitFor();
    await page.locator('.loading-steps').waitFor({ state: 'detached', timeout: 90_000 });

    // The plot cell, the notebook's last: walk down to it in command mode, as a keyboard user
    // would. pandas and matplotlib load on its first import, with a note meanwhile.
    await lite(page).locator('.jp-Notebook .jp-Cell').first().click();
    const notebook = lite(page).locator('.jp-Notebook');
    await notebook.press('Escape');
    for (let i = 0; i < 30; i += 1) await notebook.press('ArrowDown');
    const plotCell = activeCell(page);
    await expect.poll(() => plotCell.locator('.cm-content').textContent()).toContain(PLOT_SOURCE);
    const plotOutputs = plotCell.locator('.jp-OutputArea-output');
    const editor = plotCell.locator('.cm-content');
    await editor.click();
    const plotStart = Date.now();
    // Control+Enter keeps the plot cell active: the tutor is asked about it below.
    await editor.press('Control+Enter');
    await plotOutputs
      .filter({ hasText: /Loading .*matplotlib.*pandas.* MB\) from the workspace/ })
      .waitFor({ timeout: 30_000 });
    const plot = plotOutputs.locator('img[src^="data:image/png"]');
    await plot.waitFor({ timeout: 60_000 });
    console.log(`science: pandas + matplotlib loaded and plot shown ${Date.now() - plotStart} ms`);
    const box = await plot.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    await expect
      .poll(() => plotOutputs.allTextContents())
      .not.toContainEqual(expect.stringContaining('from the workspace'));
    const printed = (await plotOutputs.allTextContents()).join('\n');
    expect(printed).toMatch(/7B\s+65\.2/);

    // The tutor sees the plot as words.
    const composer = page.getByLabel('Your question');
    await composer.fill('What does my plot show?');
    await composer.press('Enter');
    await page
      .getByRole('article', { name: 'The tutor answered' })
      .getByText('of the bars.')
      .waitFor();
    const answerCalls = tutor.fake().calls.filter((call) => {
      const body = call.body as { stream?: boolean; model?: string } | undefined;
      return body?.stream === true && body.model === ANSWER_MODEL;
    });
    const turn = questionTurnText(answerCalls.at(-1)!);
    expect(turn).toContain(
      "[image/png] a matplotlib figure with 3 bars titled 'Average score per class'",
    );
    expect(turn).not.toContain('iVBORw0KGgo');
    expect(turn).not.toContain('data:image');

    // A new cell below with numpy, pandas time zones, scipy.stats and scikit-learn.
    await editor.click();
    await editor.press('Escape');
    await notebook.press('b');
    const scienceEditor = activeCell(page).locator('.cm-content');
    await expect.poll(() => scienceEditor.textContent()).toBe('');
    await scienceEditor.click();
    await page.keyboard.insertText(SCIENCE_CELL);
    const scienceStart = Date.now();
    await scienceEditor.press('Control+Enter');
    const science = activeCell(page).locator('.jp-OutputArea-output').filter({ hasText: 'slope' });
    await science.waitFor({ timeout: 60_000 });
    console.log(`science: numpy/pandas/scipy/sklearn cell ${Date.now() - scienceStart} ms`);
    const text = await science.textContent();
    expect(text).toContain('numpy 2.0.2 45');
    expect(text).toContain('utc hours [11, 10, 10]');
    expect(text).toContain('new york -1 day, 20:00:00');
    expect(text).toContain('p value 0.071');
    expect(text).toContain('slope [2.0]');

    expect(session.network.blocked, 'requests that tried to leave loopback').toEqual([]);
    expect(session.pageErrors, 'uncaught page errors').toEqual([]);
    expect(session.cspViolations, 'CSP violations').toEqual([]);
    expect(session.consoleErrors, 'console errors').toEqual([]);
  }, 240_000);
});
