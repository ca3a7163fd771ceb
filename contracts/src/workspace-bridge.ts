/**
 * The Hintbook bridge protocol: messages between the Hintbook SPA (parent window) and the
 * bridge extension inside the JupyterLite iframe, sent with `window.postMessage`.
 *
 * The one copy, shared by both sides: the SPA imports `@hintbook/contracts/workspace-bridge`, and
 * the bridge extension (built outside the npm workspaces, see scripts/build-jupyterlite.sh)
 * compiles it through the symlink `jupyterlite/bridge/src/protocol.ts`. Hence no imports at all:
 * the bridge's own TypeScript build must be able to compile it on its own.
 *
 * - Every message carries `protocol: 'hintbook-bridge'` and `version`; anything else is
 *   ignored, so other postMessage traffic on the page is harmless.
 * - The SPA sends requests with a `requestId` of its choosing; the bridge answers each with one
 *   `response` carrying the same `requestId`, `ok: true` and a `result`, or `ok: false` and an
 *   `error`.
 * - Version 2 added `run-check` (run an exercise's tests against a cell's current code in the
 *   kernel, with a time limit, without touching the notebook).
 * - The bridge sends events (no `requestId`) on its own: `ready` once, then `dirty`,
 *   `executed` and `kernel-status` as they happen.
 * - The bridge accepts messages only from its parent window and from an allowed origin (the
 *   lite site's own origin unless `hintbookBridge.allowedOrigins` in `jupyter-lite.json` says
 *   otherwise), and always posts with an explicit target origin.
 */

export const BRIDGE_PROTOCOL = 'hintbook-bridge';
/** Bumped on any incompatible change; a request with another version gets `unsupported-version`. */
export const BRIDGE_PROTOCOL_VERSION = 2;

/**
 * The folder inside JupyterLite where the SPA opens its notebooks (`<folder>/<title>.ipynb`).
 * The bridge starts the Python kernel in this folder while the app is still loading, before the
 * SPA says which notebook to open, and hands that kernel to the first notebook opened here (a
 * notebook elsewhere gets a kernel of its own, as without it).
 */
export const WORKSPACE_NOTEBOOK_FOLDER = 'hintbook';

interface Envelope {
  protocol: typeof BRIDGE_PROTOCOL;
  version: number;
}

/** A notebook in nbformat 4 JSON, as stored by the backend. */
export interface NotebookJSON {
  cells: Array<Record<string, unknown>>;
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** A data file put into the kernel's working folder (the notebook's folder) on open. */
export interface BridgeDataFile {
  /** Relative path inside the notebook's folder, e.g. `scores.csv` or `data/scores.csv`. */
  name: string;
  /** `text` for UTF-8 text, `base64` for anything else. */
  encoding: 'text' | 'base64';
  content: string;
}

/** A kernel error made fit for a prompt: `ename` is a bare class name, no ANSI codes. */
export interface BridgeError {
  /** e.g. `IndexError` (the Pyodide kernel reports `<class 'IndexError'>`; normalised). */
  ename: string;
  evalue: string;
  /** The traceback lines joined with newlines, ANSI colour codes stripped. */
  traceback: string;
  /** Index of the cell that raised it, when known. */
  cellIndex: number | null;
  cellId: string | null;
}

/** One cell output, reduced to text. Long text keeps its end (where errors and results are). */
export type BridgeOutput =
  | { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | {
      type: 'execute_result' | 'display_data';
      /** The `text/plain` form, if any. */
      text: string | null;
      mimeTypes: string[];
    }
  | { type: 'error'; ename: string; evalue: string; traceback: string };

export interface BridgeCell {
  index: number;
  id: string | null;
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
  executionCount: number | null;
  outputs: BridgeOutput[];
}

export type KernelStatus =
  | 'unknown'
  | 'starting'
  | 'idle'
  | 'busy'
  | 'terminating'
  | 'restarting'
  | 'autorestarting'
  | 'dead';

/** What the tutor needs to see right now. */
export interface LiveContext {
  path: string;
  activeCell: BridgeCell | null;
  /** The last error raised while this notebook was open, or the active cell's error output. */
  lastError: BridgeError | null;
  kernelStatus: KernelStatus;
  dirty: boolean;
}

// ---- Requests (SPA -> bridge) ----

export interface PingRequest {
  type: 'ping';
}

export interface OpenNotebookRequest {
  type: 'open-notebook';
  /** Where the notebook lives inside JupyterLite, e.g. `modules/intro/lesson-1.ipynb`. */
  path: string;
  notebook: NotebookJSON;
  /** Written next to the notebook before it opens, so the kernel finds them by relative path. */
  files?: BridgeDataFile[];
}

export interface GetContextRequest {
  type: 'get-context';
  /** Per-output text cap in characters (default 4000). */
  maxOutputChars?: number;
}

export interface GetNotebookRequest {
  type: 'get-notebook';
  /** Mark the notebook clean after reading it, so the next edit sends `dirty: true` again. */
  markClean?: boolean;
}

export interface RunCellRequest {
  type: 'run-cell';
  /** Cell to run; the active cell when omitted. It becomes the active cell. */
  index?: number;
}

/**
 * Runs `program` in the student's kernel with `__hintbook_code__` bound to the current source of
 * the cell `cellId`. Nothing is written into the notebook: no cell, no output, no execution count.
 * Past `timeLimitMs` the kernel is restarted (an endless loop cannot be stopped otherwise) and the
 * result says `timedOut`.
 */
export interface RunCheckRequest {
  type: 'run-check';
  /** The exercise's cell (its nbformat id). */
  cellId: string;
  /** Python source; it reads the student's code from `__hintbook_code__`. */
  program: string;
  timeLimitMs: number;
}

export type BridgeRequestBody =
  | PingRequest
  | OpenNotebookRequest
  | GetContextRequest
  | GetNotebookRequest
  | RunCellRequest
  | RunCheckRequest;

export type BridgeRequest = Envelope & { requestId: string } & BridgeRequestBody;

/** The `result` of a successful response, by request type. */
export interface BridgeResults {
  ping: { protocolVersion: number; appVersion: string };
  'open-notebook': { path: string; files: string[] };
  'get-context': LiveContext;
  'get-notebook': { path: string; notebook: NotebookJSON; dirty: boolean };
  'run-cell': { cell: BridgeCell; success: boolean; error: BridgeError | null };
  'run-check': {
    /** The cell's source that was checked. */
    code: string;
    /** Everything the program printed to stdout (the SPA picks its result line out of it). */
    stdout: string;
    /** An error that escaped the program itself (not the student's code: the program catches that). */
    error: BridgeError | null;
    timedOut: boolean;
    durationMs: number;
  };
}

export type BridgeErrorCode =
  'bad-request' | 'unsupported-version' | 'no-notebook' | 'not-found' | 'internal';

export type BridgeResponse = Envelope & { type: 'response'; requestId: string } & (
    | { ok: true; result: BridgeResults[BridgeRequestBody['type']] }
    | { ok: false; error: { code: BridgeErrorCode; message: string } }
  );

// ---- Events (bridge -> SPA) ----

export type BridgeEventBody =
  | { event: 'ready'; protocolVersion: number; appVersion: string }
  | { event: 'dirty'; path: string; dirty: boolean }
  | {
      event: 'executed';
      path: string;
      cellIndex: number;
      cellId: string | null;
      success: boolean;
      executionCount: number | null;
      error: BridgeError | null;
    }
  | { event: 'kernel-status'; path: string; status: KernelStatus };

export type BridgeEvent = Envelope & { type: 'event' } & BridgeEventBody;

export type BridgeMessageFromLite = BridgeResponse | BridgeEvent;

/** True for anything that claims to be a bridge message (any version). */
export function isBridgeEnvelope(data: unknown): data is Envelope & Record<string, unknown> {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { protocol?: unknown }).protocol === BRIDGE_PROTOCOL &&
    typeof (data as { version?: unknown }).version === 'number'
  );
}
