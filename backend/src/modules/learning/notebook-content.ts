import { notebookContentSchema, type NotebookContent } from '@hintbook/contracts';
import { toErrorDetails } from '../../lib/error-details.js';
import { notebookNotJson, notebookNotNbformat, notebookTooLarge } from './learning.errors.js';

/** Size of a notebook as stored (its JSON text, UTF-8); refuses one over `maxBytes`. */
export function measureNotebook(content: NotebookContent, maxBytes: number): number {
  const sizeBytes = Buffer.byteLength(JSON.stringify(content), 'utf8');
  if (sizeBytes > maxBytes) throw notebookTooLarge(maxBytes);
  return sizeBytes;
}

/**
 * An uploaded .ipynb, from the file's text: too big, not JSON and not nbformat 4 are three
 * different answers, so the student knows whether they picked the wrong file or a broken one.
 */
export function parseNotebookFile(text: string, maxBytes: number): NotebookContent {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw notebookTooLarge(maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw notebookNotJson();
  }
  return readNotebookJson(json);
}

/** Parsed JSON as an nbformat 4 notebook; a mismatch names its first few problems. */
export function readNotebookJson(json: unknown): NotebookContent {
  const result = notebookContentSchema.safeParse(json);
  if (!result.success) throw notebookNotNbformat(toErrorDetails(result.error.issues, 5));
  return result.data;
}

/** What "New notebook" starts from: one empty Python code cell. */
export function blankNotebook(): NotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python', display_name: 'Python (Pyodide)', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: [{ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }],
  };
}

/** `Loops homework.ipynb` → `Loops homework`. */
export function titleFromFilename(filename: string | undefined): string | undefined {
  const base = filename
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.ipynb$/i, '')
    .trim();
  return base ? base.slice(0, 120) : undefined;
}

/** A safe download name: no quotes, slashes or control characters. */
export function downloadFilename(title: string): string {
  const safe = title.replace(/[^\p{L}\p{N} _.()-]+/gu, '_').replace(/^[._\s]+|[._\s]+$/g, '');
  return `${safe || 'notebook'}.ipynb`;
}
