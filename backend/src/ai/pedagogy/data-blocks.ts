/**
 * Student-controlled text (messages, notebook cells, errors, course files) goes into prompts as
 * clearly delimited data. The model is told that anything inside a block is material, never
 * instructions; these helpers make sure the text cannot close its own block early.
 */
import type { NotebookContext } from '@hintbook/contracts';

/** Cuts text to `max` characters and says so, so the model knows it is seeing a part. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max))}\n[… truncated]`;
}

/**
 * Wraps `text` in `<tag>…</tag>`. Any `<tag` or `</tag` already in the text is defused (the `<`
 * becomes `‹`), so a student cannot end the block and write "instructions" after it.
 */
export function dataBlock(tag: string, text: string): string {
  const pattern = new RegExp(`<(/?)(${tag})`, 'gi');
  const safe = text.replace(pattern, '‹$1$2');
  return `<${tag}>\n${safe}\n</${tag}>`;
}

export interface NotebookContextLimits {
  cellChars: number;
  outputChars: number;
  outputs: number;
  errorChars: number;
}

/** Enough to see the student's code and what went wrong, without flooding a prompt. */
export const DEFAULT_NOTEBOOK_LIMITS: NotebookContextLimits = {
  cellChars: 6_000,
  outputChars: 1_500,
  outputs: 3,
  errorChars: 2_000,
};

/**
 * The live notebook snapshot as one data block: active cell, the most recent outputs, the last
 * error. Returns null when there is nothing worth showing.
 */
export function formatNotebookContext(
  context: NotebookContext | undefined,
  limits: NotebookContextLimits = DEFAULT_NOTEBOOK_LIMITS,
): string | null {
  if (!context) return null;
  const parts: string[] = [];
  if (context.activeCellSource?.trim()) {
    parts.push(dataBlock('active_cell', truncate(context.activeCellSource, limits.cellChars)));
  }
  // The newest outputs matter most; older ones are usually stale by the time a student asks.
  const outputs = (context.activeCellOutputs ?? []).slice(-limits.outputs);
  for (const output of outputs) {
    if (output.trim()) parts.push(dataBlock('cell_output', truncate(output, limits.outputChars)));
  }
  if (context.lastError) {
    const { ename, evalue, traceback } = context.lastError;
    const body = [`${ename}: ${evalue}`, traceback ? `\n${traceback}` : ''].join('');
    parts.push(dataBlock('last_error', truncate(body, limits.errorChars)));
  }
  if (parts.length === 0) return null;
  return dataBlock('notebook', parts.join('\n'));
}
