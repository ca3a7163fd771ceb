/** Notebook operations behind the bridge requests, on JupyterLab's public APIs. */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PathExt } from '@jupyterlab/coreutils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { NotebookActions } from '@jupyterlab/notebook';
import { type KernelPrestart, makeFolders } from './prestart';
import { DEFAULT_MAX_OUTPUT_CHARS, errorOfCell, makeError, toBridgeCell } from './normalise';
import type {
  BridgeCell,
  BridgeDataFile,
  BridgeError,
  BridgeErrorCode,
  BridgeResults,
  KernelStatus,
  NotebookJSON,
} from './protocol';

/** A request that cannot be served; its code goes back to the SPA. */
export class BridgeFailure extends Error {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A relative path that stays inside its folder: no `..`, no leading `/`, no empty parts. */
function checkRelativePath(name: string, what: string): string {
  const parts = name.split('/');
  if (!name || name.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new BridgeFailure('bad-request', `${what} must be a relative path: ${name}`);
  }
  return name;
}

export class Workspace {
  /** Last error raised per notebook path while it was open. */
  private readonly lastErrors = new Map<string, BridgeError>();

  constructor(
    private readonly app: JupyterFrontEnd,
    private readonly docManager: IDocumentManager,
    private readonly tracker: INotebookTracker,
    /** The early kernel (prestart.ts), looked up when the first notebook opens. */
    private readonly prestart: () => KernelPrestart | null = () => null,
  ) {}

  /** The notebook the student is working in (single-document mode: the only one). */
  currentPanel(): NotebookPanel {
    const panel = this.tracker.currentWidget;
    if (!panel) {
      throw new BridgeFailure('no-notebook', 'no notebook is open');
    }
    return panel;
  }

  recordError(path: string, error: BridgeError): void {
    this.lastErrors.set(path, error);
  }

  async openNotebook(
    path: string,
    notebook: NotebookJSON,
    files: BridgeDataFile[] = [],
  ): Promise<BridgeResults['open-notebook']> {
    checkRelativePath(path, 'path');
    if (!path.endsWith('.ipynb') || !Array.isArray(notebook?.cells)) {
      throw new BridgeFailure(
        'bad-request',
        'open-notebook needs an .ipynb path and notebook JSON',
      );
    }
    const contents = this.app.serviceManager.contents;
    const folder = PathExt.dirname(path);
    const written: string[] = [];
    const targets = files.map((file) => {
      const target = PathExt.join(folder, checkRelativePath(file.name, 'file name'));
      if (file.encoding !== 'text' && file.encoding !== 'base64') {
        throw new BridgeFailure('bad-request', `unknown encoding for ${file.name}`);
      }
      return { file, target };
    });

    // One document at a time: drop whatever was open, unsaved edits included (the SPA has
    // already saved them to the backend, the only durable copy).
    for (const widget of this.tracker.filter(() => true)) {
      widget.context.model.dirty = false;
      widget.dispose();
    }
    // Before the folders are made (the early start may still be making the kernel's) and before
    // the notebook opens, so that it connects to the kernel started early instead of its own.
    await this.prestart()?.handOver(path);
    await makeFolders(contents, [folder, ...targets.map(({ target }) => PathExt.dirname(target))]);
    for (const { file, target } of targets) {
      await contents.save(target, {
        type: 'file',
        format: file.encoding,
        content: file.content,
        mimetype: file.encoding === 'text' ? 'text/plain' : 'application/octet-stream',
      });
      written.push(target);
    }
    await contents.save(path, { type: 'notebook', format: 'json', content: notebook });
    this.lastErrors.delete(path);

    const widget = this.docManager.openOrReveal(path, 'Notebook');
    if (!widget) {
      throw new BridgeFailure('internal', `could not open ${path}`);
    }
    await widget.context.ready;
    return { path, files: written };
  }

  getContext(maxOutputChars = DEFAULT_MAX_OUTPUT_CHARS): BridgeResults['get-context'] {
    const panel = this.currentPanel();
    const notebook = panel.content;
    const active = notebook.activeCell;
    const activeCell: BridgeCell | null = active
      ? toBridgeCell(
          active.model.toJSON() as unknown as Record<string, unknown>,
          notebook.activeCellIndex,
          maxOutputChars,
        )
      : null;
    const path = panel.context.path;
    const lastError =
      this.lastErrors.get(path) ?? (activeCell ? errorOfCell(activeCell) : null) ?? null;
    return {
      path,
      activeCell,
      lastError,
      kernelStatus: this.kernelStatus(panel),
      dirty: panel.context.model.dirty,
    };
  }

  getNotebook(markClean: boolean): BridgeResults['get-notebook'] {
    const panel = this.currentPanel();
    const model = panel.context.model;
    const notebook = model.toJSON() as unknown as NotebookJSON;
    const dirty = model.dirty;
    if (markClean) {
      model.dirty = false;
    }
    return { path: panel.context.path, notebook, dirty };
  }

  async runCell(index: number | undefined): Promise<BridgeResults['run-cell']> {
    const panel = this.currentPanel();
    const notebook = panel.content;
    const target = index ?? notebook.activeCellIndex;
    if (!Number.isInteger(target) || target < 0 || target >= notebook.widgets.length) {
      throw new BridgeFailure('not-found', `no cell at index ${String(index)}`);
    }
    await this.kernelReady(panel);
    notebook.activeCellIndex = target;
    notebook.deselectAll();
    const cell = notebook.widgets[target];
    const seen: { error: BridgeError | null } = { error: null };
    const onExecuted = (
      _: unknown,
      args: {
        cell: unknown;
        error?: { errorName: string; errorValue: string; traceback: string[] } | null;
      },
    ): void => {
      if (args.cell === cell && args.error) {
        seen.error = makeError(
          args.error.errorName,
          args.error.errorValue,
          args.error.traceback,
          target,
          cell.model.id,
        );
      }
    };
    NotebookActions.executed.connect(onExecuted);
    let success: boolean;
    try {
      success = await NotebookActions.run(notebook, panel.sessionContext);
    } finally {
      NotebookActions.executed.disconnect(onExecuted);
    }
    const json = cell.model.toJSON() as unknown as Record<string, unknown>;
    const bridgeCell = toBridgeCell(json, target, DEFAULT_MAX_OUTPUT_CHARS);
    return { cell: bridgeCell, success, error: seen.error ?? errorOfCell(bridgeCell) };
  }

  /** Resolves once the kernel has finished booting (its first `idle`), so a run is not queued
   * behind a boot that failed. */
  async kernelReady(panel: NotebookPanel, timeoutMs = 120_000): Promise<void> {
    await panel.sessionContext.ready;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const kernel = panel.sessionContext.session?.kernel;
      if (kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle') {
        await kernel.info;
        return;
      }
      if (Date.now() > deadline) {
        throw new BridgeFailure('internal', 'the Python kernel did not start in time');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kernelStatus(panel: NotebookPanel): KernelStatus {
    return (panel.sessionContext.session?.kernel?.status ?? 'unknown') as KernelStatus;
  }
}
