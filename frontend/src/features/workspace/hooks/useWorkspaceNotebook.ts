import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NotebookCopy, NotebookStatus } from '@hintbook/contracts';
import {
  loadWorkspaceNotebook,
  loadWorkspaceNotebookVersion,
  saveWorkspaceNotebook,
  type WorkspaceNotebook,
  type WorkspaceTarget,
} from '../api';
import { classifySaveError, forLite, litePath, notebookFingerprint } from '../workspace-notebook';
import { useAutosave, useAutosaveState, type Autosave } from './useAutosave';
import { useBridge, type OpenRequest } from './useBridge';

export type LoadedNotebook =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; notebook: WorkspaceNotebook; generation: number };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/**
 * The workspace's notebook: loaded from the server, opened in JupyterLite (when the browser can
 * run Python) and saved as the student edits. Every `show` (first load, reload, reset) counts as
 * a new session, so JupyterLite reopens the notebook and autosave starts from its version.
 */
export function useWorkspaceNotebook(target: WorkspaceTarget | null, canRunPython: boolean) {
  const [loaded, setLoaded] = useState<LoadedNotebook>({ status: 'loading' });
  const [status, setStatus] = useState<NotebookStatus | null>(null);
  // The bridge reports edits to autosave, and autosave reads the notebook through the bridge:
  // one of the two has to reach the other after both exist, and this ref is that link.
  const autosaveRef = useRef<Autosave | null>(null);

  const show = useCallback((notebook: WorkspaceNotebook) => {
    setLoaded((current) => ({
      status: 'ready',
      notebook,
      generation: current.status === 'ready' ? current.generation + 1 : 0,
    }));
    setStatus(notebook.copy?.status ?? null);
  }, []);

  useEffect(() => {
    if (target === null) return;
    const controller = new AbortController();
    loadWorkspaceNotebook(target, controller.signal).then(show, (error: unknown) => {
      if (!controller.signal.aborted) setLoaded({ status: 'failed', message: messageOf(error) });
    });
    return () => controller.abort();
  }, [target, show]);

  const notebook = loaded.status === 'ready' ? loaded.notebook : null;
  const sessionKey =
    loaded.status === 'ready' ? `${loaded.notebook.ref.id}:${loaded.generation}` : null;
  const openRequest = useMemo<OpenRequest | null>(
    () =>
      notebook && sessionKey
        ? {
            key: sessionKey,
            path: litePath(notebook),
            notebook: forLite(notebook),
            files: notebook.files,
          }
        : null,
    [notebook, sessionKey],
  );

  const bridge = useBridge(canRunPython ? openRequest : null, {
    onDirty: () => autosaveRef.current?.markDirty(),
  });
  const autosave = useAutosave(sessionKey, notebook?.version ?? null, {
    read: bridge.readNotebook,
    save: async (content, baseVersion, options) => {
      if (target === null) throw new Error('No notebook');
      const result = await saveWorkspaceNotebook(target, content, baseVersion, options);
      if (result.status) setStatus(result.status);
      return result;
    },
    classify: classifySaveError,
    // Opening a notebook is no edit: JupyterLab's language_info alone is not saved.
    fingerprint: notebookFingerprint,
    storedContent: openRequest?.notebook,
  });
  useEffect(() => {
    autosaveRef.current = autosave;
  }, [autosave]);
  const saveState = useAutosaveState(autosave);

  /** Shows the server's version again (after a conflict: the student drops their changes). */
  async function reload() {
    if (target === null) return;
    show(await loadWorkspaceNotebook(target));
  }

  /**
   * Saves the student's version over the server's (after a conflict). The 409 normally says
   * which version won; when it did not, only that number is fetched, not the notebook.
   */
  async function keepMine() {
    if (target === null || autosave === null) return;
    const state = autosave.getState();
    const known = state.status === 'conflict' ? state.currentVersion : null;
    const current = known ?? (await loadWorkspaceNotebookVersion(target));
    await autosave.keepMine(current);
  }

  /** The copy as the server now has it, when nothing in the notebook itself changed. */
  const setCopy = useCallback((copy: NotebookCopy | null) => {
    setLoaded((current) =>
      current.status === 'ready'
        ? { ...current, notebook: { ...current.notebook, copy } }
        : current,
    );
  }, []);

  return {
    loaded,
    notebook,
    status,
    setStatus,
    show,
    setCopy,
    reload,
    keepMine,
    bridge,
    autosave,
    saveState,
  };
}
