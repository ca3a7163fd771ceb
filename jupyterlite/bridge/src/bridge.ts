/** The postMessage side of the bridge: checks senders, dispatches requests, posts answers. */
import { PageConfig } from '@jupyterlab/coreutils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { NotebookActions } from '@jupyterlab/notebook';
import { runCheck } from './check';
import { makeError } from './normalise';
import type { BridgeSettings } from './origins';
import {
  BRIDGE_PROTOCOL,
  BRIDGE_PROTOCOL_VERSION,
  isBridgeEnvelope,
  type BridgeEventBody,
  type BridgeRequest,
  type BridgeResults,
  type KernelStatus,
} from './protocol';
import { BridgeFailure, type Workspace } from './workspace';

type Result = BridgeResults[keyof BridgeResults];

export class Bridge {
  /** The origin the parent proved it has (by sending a valid request); null until then. */
  private parentOrigin: string | null = null;
  private readonly watched = new WeakSet<NotebookPanel>();

  constructor(
    private readonly parent: Window,
    private readonly settings: BridgeSettings,
    private readonly workspace: Workspace,
    private readonly tracker: INotebookTracker,
  ) {}

  start(): void {
    window.addEventListener('message', (event) => void this.handleMessage(event));
    this.tracker.widgetAdded.connect((_, panel) => this.watch(panel));
    this.tracker.forEach((panel) => this.watch(panel));
    NotebookActions.executed.connect((_, args) => {
      const panel = this.tracker.find((p) => p.content === args.notebook);
      if (!panel) {
        return;
      }
      const cellIndex = args.notebook.widgets.indexOf(args.cell);
      const cellId = args.cell.model.id;
      const error = args.error
        ? makeError(
            args.error.errorName,
            args.error.errorValue,
            args.error.traceback,
            cellIndex,
            cellId,
          )
        : null;
      if (error) {
        this.workspace.recordError(panel.context.path, error);
      }
      const count = args.cell.model.toJSON().execution_count;
      this.emit({
        event: 'executed',
        path: panel.context.path,
        cellIndex,
        cellId,
        success: args.success,
        executionCount: typeof count === 'number' ? count : null,
        error,
      });
    });
    this.emit({
      event: 'ready',
      protocolVersion: BRIDGE_PROTOCOL_VERSION,
      appVersion: PageConfig.getOption('appVersion'),
    });
  }

  private watch(panel: NotebookPanel): void {
    if (this.watched.has(panel)) {
      return;
    }
    this.watched.add(panel);
    panel.context.model.stateChanged.connect((_, change) => {
      if (change.name === 'dirty' && change.oldValue !== change.newValue) {
        this.emit({ event: 'dirty', path: panel.context.path, dirty: Boolean(change.newValue) });
      }
    });
    panel.sessionContext.statusChanged.connect((_, status) => {
      this.emit({
        event: 'kernel-status',
        path: panel.context.path,
        status: status as KernelStatus,
      });
    });
  }

  private async handleMessage(event: MessageEvent): Promise<void> {
    // Only our parent window, from an allowed origin, may drive the workspace.
    if (event.source !== this.parent || !this.settings.allowedOrigins.includes(event.origin)) {
      return;
    }
    const data: unknown = event.data;
    if (!isBridgeEnvelope(data)) {
      return;
    }
    const requestId = typeof data.requestId === 'string' ? data.requestId : null;
    if (!requestId) {
      return;
    }
    this.parentOrigin = event.origin;
    if (data.version !== BRIDGE_PROTOCOL_VERSION) {
      this.fail(
        requestId,
        new BridgeFailure(
          'unsupported-version',
          `this bridge speaks version ${BRIDGE_PROTOCOL_VERSION}`,
        ),
      );
      return;
    }
    try {
      const result = await this.dispatch(data as unknown as BridgeRequest);
      this.post({ type: 'response', requestId, ok: true, result });
    } catch (error) {
      this.fail(requestId, error);
    }
  }

  private async dispatch(request: BridgeRequest): Promise<Result> {
    switch (request.type) {
      case 'ping':
        return {
          protocolVersion: BRIDGE_PROTOCOL_VERSION,
          appVersion: PageConfig.getOption('appVersion'),
        };
      case 'open-notebook':
        return this.workspace.openNotebook(request.path, request.notebook, request.files ?? []);
      case 'get-context':
        return this.workspace.getContext(request.maxOutputChars);
      case 'get-notebook':
        return this.workspace.getNotebook(request.markClean === true);
      case 'run-cell':
        return this.workspace.runCell(request.index);
      case 'run-check': {
        const panel = this.workspace.currentPanel();
        await this.workspace.kernelReady(panel);
        return runCheck(panel, request.cellId, request.program, request.timeLimitMs);
      }
      default:
        throw new BridgeFailure(
          'bad-request',
          `unknown request type ${String((request as { type?: unknown }).type)}`,
        );
    }
  }

  private fail(requestId: string, error: unknown): void {
    const failure =
      error instanceof BridgeFailure
        ? error
        : new BridgeFailure('internal', error instanceof Error ? error.message : String(error));
    if (failure.code === 'internal') {
      console.error('hintbook-bridge: request failed', error);
    }
    this.post({
      type: 'response',
      requestId,
      ok: false,
      error: { code: failure.code, message: failure.message },
    });
  }

  private emit(body: BridgeEventBody): void {
    this.post({ type: 'event', ...body });
  }

  private post(message: Record<string, unknown>): void {
    const full = { protocol: BRIDGE_PROTOCOL, version: BRIDGE_PROTOCOL_VERSION, ...message };
    // Before the parent has spoken, post to each allowed origin: the browser delivers the message
    // only if the parent really has that origin, so nothing leaks to another page.
    const targets = this.parentOrigin ? [this.parentOrigin] : this.settings.allowedOrigins;
    for (const origin of targets) {
      this.parent.postMessage(full, origin);
    }
  }
}
