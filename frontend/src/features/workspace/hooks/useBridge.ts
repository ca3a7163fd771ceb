import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { NotebookContext } from '@hintbook/contracts';
import {
  createBridgeClient,
  type BridgeClient,
  type BridgeDataFile,
  type KernelStatus,
  type LiveContext,
  type NotebookJSON,
} from '../../../lib/jupyterlite-bridge';
import { env } from '../../../lib/env';

/** The JupyterLite app, served by nginx on our origin (single-document lab, see docs/jupyterlite.md). */
export const LITE_URL = `${env.apiBaseUrl}/jupyterlite/lab/index.html`;

/** How long the notebook app may take to report `ready` before the page says something is wrong. */
const APP_READY_TIMEOUT_MS = 90_000;
const OPEN_TIMEOUT_MS = 60_000;
/** The tutor waits at most this long for the live context; it asks without it otherwise. */
const CONTEXT_TIMEOUT_MS = 1_500;
/** Beyond a check's own limit: Python may still be starting, and a restart after a time-out takes a while. */
const CHECK_EXTRA_WAIT_MS = 120_000;

export type BridgePhase =
  | { step: 'loading-app' }
  | { step: 'opening' }
  | { step: 'starting-python' }
  | { step: 'ready' }
  | { step: 'failed'; message: string };

export interface OpenRequest {
  /** Changes whenever the notebook must be (re)opened: first load, reload, reset. */
  key: string;
  path: string;
  notebook: NotebookJSON;
  files: BridgeDataFile[];
}

interface BridgeOptions {
  onDirty(): void;
}

/**
 * Drives the JupyterLite iframe: listens before the iframe loads, opens the notebook once the
 * app is ready, follows the kernel's status and exposes the requests the workspace needs.
 */
export function useBridge(open: OpenRequest | null, options: BridgeOptions) {
  const frameRef = useRef<HTMLIFrameElement>(null);
  const clientRef = useRef<BridgeClient | null>(null);
  const optionsRef = useRef(options);
  const [isAppReady, setIsAppReady] = useState(false);
  const [phase, setPhase] = useState<BridgePhase>({ step: 'loading-app' });
  const [kernelStatus, setKernelStatus] = useState<KernelStatus>('unknown');
  const [startedAt] = useState(() => Date.now());
  const [openedKey, setOpenedKey] = useState<string | null>(null);
  // Counts finished cells: what the tutor would see (active cell, last error) may have changed.
  const [cellsRun, setCellsRun] = useState(0);

  useEffect(() => {
    optionsRef.current = options;
  });

  // A layout effect runs during the commit that mounts the page (and with it the iframe), before
  // the iframe can load and post anything: the listener is always there before `ready`.
  useLayoutEffect(() => {
    const client = createBridgeClient({
      getTarget: () => frameRef.current?.contentWindow ?? null,
      origin: window.location.origin,
    });
    clientRef.current = client;
    const unsubscribe = client.onEvent((event) => {
      if (event.event === 'ready') setIsAppReady(true);
      else if (event.event === 'dirty' && event.dirty) optionsRef.current.onDirty();
      else if (event.event === 'kernel-status') {
        setKernelStatus(event.status);
        if (event.status === 'idle' || event.status === 'busy') {
          setPhase((current) => (current.step === 'starting-python' ? { step: 'ready' } : current));
        }
      } else if (event.event === 'executed') {
        // A finished cell proves the kernel runs, even if its idle status was missed.
        setPhase((current) => (current.step === 'starting-python' ? { step: 'ready' } : current));
        setCellsRun((count) => count + 1);
      }
    });
    return () => {
      unsubscribe();
      client.close();
      clientRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (isAppReady) return;
    const timer = setTimeout(() => {
      setPhase({
        step: 'failed',
        message:
          'The notebook app did not start. Reload the page; if it keeps happening, try another browser.',
      });
    }, APP_READY_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [isAppReady]);

  useEffect(() => {
    const client = clientRef.current;
    if (!isAppReady || open === null || client === null || openedKey === open.key) return;
    let isCurrent = true;
    setPhase({ step: 'opening' });
    client
      .request(
        { type: 'open-notebook', path: open.path, notebook: open.notebook, files: open.files },
        { timeoutMs: OPEN_TIMEOUT_MS },
      )
      .then(
        () => {
          if (!isCurrent) return;
          setOpenedKey(open.key);
          setPhase({ step: 'starting-python' });
        },
        (error: unknown) => {
          if (!isCurrent) return;
          setPhase({
            step: 'failed',
            message: `The notebook could not be opened: ${error instanceof Error ? error.message : String(error)}`,
          });
        },
      );
    return () => {
      isCurrent = false;
    };
  }, [isAppReady, open, openedKey]);

  /** The notebook as it is now; marks it clean so the next edit reports `dirty` again. */
  const readNotebook = useCallback(async (): Promise<NotebookJSON> => {
    const client = clientRef.current;
    if (client === null) throw new Error('The notebook app is not open.');
    const { notebook } = await client.request(
      { type: 'get-notebook', markClean: true },
      { timeoutMs: 10_000 },
    );
    return notebook;
  }, []);

  /** What the tutor should see; undefined when the app does not answer quickly. */
  const readContext = useCallback(async (): Promise<NotebookContext | undefined> => {
    const client = clientRef.current;
    if (client === null) return undefined;
    try {
      const live = await client.request(
        { type: 'get-context', maxOutputChars: 4_000 },
        { timeoutMs: CONTEXT_TIMEOUT_MS },
      );
      return toNotebookContext(live);
    } catch {
      return undefined;
    }
  }, []);

  /**
   * Runs a check program against a cell's current code in the kernel (see `run-check`). The
   * bridge enforces the time limit; this wait also covers a kernel that is still booting.
   */
  const runCheck = useCallback(
    async (request: { cellId: string; program: string; timeLimitMs: number }) => {
      const client = clientRef.current;
      if (client === null) throw new Error('The notebook app is not open.');
      return client.request(
        { type: 'run-check', ...request },
        { timeoutMs: request.timeLimitMs + CHECK_EXTRA_WAIT_MS },
      );
    },
    [],
  );

  return {
    frameRef,
    src: LITE_URL,
    phase,
    kernelStatus,
    cellsRun,
    startedAt,
    readNotebook,
    readContext,
    runCheck,
  };
}

/** Fits the bridge's live context into the chat contract's limits. */
export function toNotebookContext(live: LiveContext): NotebookContext {
  const context: NotebookContext = {};
  const cell = live.activeCell;
  if (cell) {
    // The cell's nbformat id: the server ties the question to the exercise stored under it.
    if (cell.id) context.activeCellId = cell.id.slice(0, 100);
    context.activeCellSource = keepEnd(cell.source, 20_000);
    const outputs = cell.outputs
      .map((output) =>
        output.type === 'error'
          ? `${output.ename}: ${output.evalue}`
          : output.type === 'stream'
            ? output.text
            : (output.text ?? ''),
      )
      .filter((text) => text.length > 0)
      .slice(-10)
      .map((text) => keepEnd(text, 10_000));
    if (outputs.length > 0) context.activeCellOutputs = outputs;
  }
  if (live.lastError) {
    context.lastError = {
      ename: live.lastError.ename.slice(0, 200),
      evalue: live.lastError.evalue.slice(0, 2_000),
      traceback: keepEnd(live.lastError.traceback, 10_000),
    };
  }
  return context;
}

/** Long text keeps its end, where errors and results are. */
function keepEnd(text: string, max: number): string {
  return text.length <= max ? text : text.slice(text.length - max);
}
