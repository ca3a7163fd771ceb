/// <reference lib="dom" />
/**
 * The science part of bench/workspace-load.ts: how long a student waits for the first
 * `import numpy` (package files cold or already in the HTTP cache) and for the starter data
 * notebook's pandas + matplotlib plot on an empty cache. Each figure is measured in the real
 * JupyterLite UI: from pressing Ctrl+Enter to the output on screen.
 */
import { performance } from 'node:perf_hooks';
import type { FrameLocator, Page } from 'playwright-core';

/** Prints the version once numpy is imported: the output the bench waits for. */
export const NUMPY_CELL = 'import numpy\nprint("numpy ready", numpy.__version__)';
/** The plot cell at the end of backend/content/starter-module/04-working-with-data.ipynb. */
export const PLOT_CELL_MARKER = 'by_class.plot(kind="bar"';

export function liteFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title^="Notebook:"]');
}

/** The notebook's active cell (JupyterLab renders only the cells near the viewport). */
function activeCell(page: Page) {
  return liteFrame(page).locator('.jp-Notebook .jp-Cell.jp-mod-active');
}

/**
 * Adds a code cell below cell `index` holding `source` and runs it; resolves with the ms from
 * the key press to an output containing `expected`. The notebook autosaves the new cell, which
 * is harmless: every run inserts its own.
 */
export async function runNewCell(
  page: Page,
  index: number,
  source: string,
  expected: string,
  timeoutMs: number,
): Promise<number> {
  const above = liteFrame(page).locator('.jp-Notebook .jp-Cell').nth(index).locator('.cm-content');
  await above.click();
  await above.press('Escape');
  await liteFrame(page).locator('.jp-Notebook').press('b');
  const editor = activeCell(page).locator('.cm-content');
  await editor.click();
  await page.keyboard.insertText(source);
  const start = performance.now();
  await editor.press('Control+Enter');
  await activeCell(page)
    .locator('.jp-OutputArea-output')
    .filter({ hasText: expected })
    .first()
    .waitFor({ timeout: timeoutMs });
  return performance.now() - start;
}

/**
 * Runs the data notebook's plot cell (its last: pandas, matplotlib, a bar plot) and resolves
 * with the ms from the key press to the plot's image on screen.
 */
export async function runPlotCell(page: Page, timeoutMs: number): Promise<number> {
  // Walk down to the last cell in command mode, which scrolls it into view.
  await liteFrame(page).locator('.jp-Notebook .jp-Cell').first().click();
  const notebook = liteFrame(page).locator('.jp-Notebook');
  await notebook.press('Escape');
  for (let i = 0; i < 30; i += 1) {
    await notebook.press('ArrowDown');
  }
  const editor = activeCell(page).locator('.cm-content');
  const source = (await editor.textContent({ timeout: timeoutMs })) ?? '';
  if (!source.includes(PLOT_CELL_MARKER)) {
    throw new Error(`the data notebook's last cell is not the plot cell: ${source.slice(0, 80)}`);
  }
  await editor.click();
  const start = performance.now();
  await editor.press('Control+Enter');
  await activeCell(page)
    .locator('.jp-OutputArea-output img[src^="data:image/png"]')
    .waitFor({ timeout: timeoutMs });
  return performance.now() - start;
}
