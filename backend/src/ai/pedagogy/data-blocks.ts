/**
 * Student-controlled text (messages, notebook cells, errors, course files) goes into prompts as
 * clearly delimited data, in the user turn, never in the system prompt. The model is told that
 * anything inside a block is material, never instructions; these helpers make sure the text cannot
 * close its block early or open one of its own.
 */
import type { NotebookContext } from '@hintbook/contracts';

/** Cuts text to `max` characters and says so, so the model knows it is seeing a part. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max))}\n[… truncated]`;
}

/**
 * Anything that could read as a tag: `<` before a letter, `/`, `!` or `?`. Comparisons such as
 * `a < b` or `x <= 3` stay as they are; the model is told that `‹` stands for `<`.
 */
const TAG_LIKE = /<(?=[\p{L}_/!?])/gu;

/** Defuses every tag-like sequence, so data can neither close its block nor open another. */
export function escapeData(text: string): string {
  return text.replace(TAG_LIKE, '‹');
}

/** Wraps student-side `text` in `<tag>…</tag>`, escaped with `escapeData`. */
export function dataBlock(tag: string, text: string): string {
  return `<${tag}>\n${escapeData(text)}\n</${tag}>`;
}

/** Wraps blocks already built with `dataBlock` (their tags are ours, so they are not escaped). */
export function groupBlocks(tag: string, blocks: string[]): string {
  return `<${tag}>\n${blocks.join('\n')}\n</${tag}>`;
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
  return groupBlocks('notebook', parts);
}
