import { errorCodes, readCurrentVersion } from '@hintbook/contracts';
import { ApiError } from '../../lib/api-client';
import {
  BridgeRequestError,
  WORKSPACE_NOTEBOOK_FOLDER,
  type NotebookJSON,
} from '../../lib/jupyterlite-bridge';
import type { SaveFailure } from './hooks/useAutosave';
import type { WorkspaceNotebook } from './api';

/** The Pyodide kernel's name: any other kernelspec makes JupyterLite ask the student to pick one. */
const KERNELSPEC = { name: 'python', display_name: 'Python (Pyodide)', language: 'python' };

/**
 * Where the notebook lives inside JupyterLite: a readable file name (it shows in the tab), in the
 * folder where the bridge starts the kernel before the notebook is known.
 */
export function litePath(notebook: WorkspaceNotebook): string {
  const base =
    notebook.title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'notebook';
  return `${WORKSPACE_NOTEBOOK_FOLDER}/${base}.ipynb`;
}

/** The content as JupyterLite should open it, with the kernel it can start. */
export function forLite(notebook: WorkspaceNotebook): NotebookJSON {
  const { content } = notebook;
  return {
    ...content,
    metadata: { ...content.metadata, kernelspec: KERNELSPEC },
  } as NotebookJSON;
}

/**
 * The notebook as a string that changes only when something the student did changes: keys
 * sorted, nbformat's multi-line strings (a list of lines or one string) joined, and without the
 * `language_info` the kernel writes into the metadata whenever the notebook opens. Two forms of
 * the same notebook (the server's file, JupyterLab's serialisation of it) give the same string.
 */
export function notebookFingerprint(notebook: NotebookJSON): string {
  const { language_info: _languageInfo, ...metadata } = notebook.metadata;
  return JSON.stringify(canonical({ ...notebook, metadata }, false));
}

/** Where nbformat allows a list of lines for one string: `source`, `text` and output `data`. */
const MULTILINE_KEYS = new Set(['source', 'text']);

function canonical(value: unknown, isMultiline: boolean): unknown {
  if (Array.isArray(value)) {
    return isMultiline && value.every((item) => typeof item === 'string')
      ? value.join('')
      : value.map((item) => canonical(item, false));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [
          key,
          key === 'data'
            ? canonicalData((value as Record<string, unknown>)[key])
            : canonical((value as Record<string, unknown>)[key], MULTILINE_KEYS.has(key)),
        ]),
    );
  }
  return value;
}

/** An output's `data`: each MIME type's value may be a list of lines (JSON values may not). */
function canonicalData(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return canonical(data, false);
  return Object.fromEntries(
    Object.keys(data)
      .sort()
      .map((mime) => [
        mime,
        canonical((data as Record<string, unknown>)[mime], !mime.endsWith('json')),
      ]),
  );
}

/** Maps a failed save onto the autosave machine's three outcomes. */
export function classifySaveError(error: unknown): SaveFailure {
  if (error instanceof ApiError) {
    if (error.code === errorCodes.notebookVersionConflict || error.status === 409) {
      const currentVersion = readCurrentVersion({
        error: { code: error.code, message: error.message, details: [...error.details] },
      });
      return { kind: 'conflict', currentVersion: currentVersion ?? null };
    }
    if (error.isTransient) return { kind: 'transient' };
    return { kind: 'fatal', message: error.message };
  }
  // The notebook app did not answer, or fetch failed outside the client: worth another try.
  if (error instanceof BridgeRequestError || error instanceof TypeError) {
    return { kind: 'transient' };
  }
  return { kind: 'fatal', message: error instanceof Error ? error.message : String(error) };
}
