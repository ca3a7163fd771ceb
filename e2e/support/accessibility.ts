/**
 * Accessibility checks with axe-core (Deque's rules engine, as the browser extensions run it) on
 * the page as a student or teacher sees it at that moment: WCAG 2.1 A and AA, plus axe's best
 * practices. The notebook's own frame is JupyterLab's, not ours, and is left out.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const RULE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

/** Fails with every rule broken and where (CSS selectors), so a failure says what to fix. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  // Evaluated by the browser's debugger protocol, not as a page script: the SPA's CSP, which
  // allows no inline script, stays as it is and records no violation.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: AxeRunner }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      iframes: false,
    });
    return result.violations.map(
      (violation) =>
        `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}, at ${violation.nodes
          .slice(0, 5)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
  }, RULE_TAGS);
  expect(violations, `accessibility of ${where}:\n${violations.join('\n')}\n`).toEqual([]);
}

/** The part of axe-core's API used here (its own types describe the whole of it). */
interface AxeRunner {
  run(
    context: Document,
    options: { runOnly: { type: 'tag'; values: string[] }; iframes: boolean },
  ): Promise<{
    violations: Array<{
      id: string;
      impact?: string | null;
      help: string;
      nodes: Array<{ target: string[] }>;
    }>;
  }>;
}
