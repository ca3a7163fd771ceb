import { randomId } from './ids';
import {
  BRIDGE_PROTOCOL,
  BRIDGE_PROTOCOL_VERSION,
  isBridgeEnvelope,
  type BridgeErrorCode,
  type BridgeEventBody,
  type BridgeRequestBody,
  type BridgeResults,
} from '@hintbook/contracts/workspace-bridge';

export type * from '@hintbook/contracts/workspace-bridge';
export { WORKSPACE_NOTEBOOK_FOLDER } from '@hintbook/contracts/workspace-bridge';

/** A request the bridge refused or never answered. `code` adds `timeout` to the bridge's own. */
export class BridgeRequestError extends Error {
  override readonly name = 'BridgeRequestError';
  readonly code: BridgeErrorCode | 'timeout' | 'closed';

  constructor(code: BridgeErrorCode | 'timeout' | 'closed', message: string) {
    super(message);
    this.code = code;
  }
}

/** Longest wait for an answer unless the call says otherwise; opening a notebook can be slow. */
const DEFAULT_TIMEOUT_MS = 30_000;

export interface BridgeClientOptions {
  /** The window messages come from and go to: the iframe's `contentWindow`. */
  getTarget(): Window | null;
  /** The lite site's origin (ours, when JupyterLite is served under /jupyterlite/). */
  origin: string;
  /** Where to listen; the parent window. */
  host?: Window;
}

type EventListener = (event: BridgeEventBody) => void;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface BridgeClient {
  request<T extends BridgeRequestBody['type']>(
    body: Extract<BridgeRequestBody, { type: T }>,
    options?: { timeoutMs?: number },
  ): Promise<BridgeResults[T]>;
  /** Every event from the bridge (ready, dirty, executed, kernel-status). */
  onEvent(listener: EventListener): () => void;
  /** Stops listening and rejects whatever is still waiting. */
  close(): void;
}

/**
 * The SPA's side of the bridge protocol: accepts messages only from the iframe's window and the
 * lite origin, posts with that explicit origin, matches answers by request id and gives up after
 * a timeout. Create it before the iframe gets its `src`, so `ready` is never missed.
 */
export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const host = options.host ?? window;
  const pending = new Map<string, Pending>();
  const listeners = new Set<EventListener>();

  function handleMessage(event: MessageEvent) {
    const target = options.getTarget();
    // Only the iframe's window on the lite origin speaks for the bridge: other frames, browser
    // extensions and other pages posting to this window are ignored.
    if (target === null || event.source !== target || event.origin !== options.origin) return;
    const message: unknown = event.data;
    if (!isBridgeEnvelope(message)) return;
    if (message.type === 'response' && typeof message.requestId === 'string') {
      const entry = pending.get(message.requestId);
      if (!entry) return;
      pending.delete(message.requestId);
      clearTimeout(entry.timer);
      if (message.ok === true) entry.resolve(message.result);
      else {
        const error = (message.error ?? {}) as { code?: BridgeErrorCode; message?: string };
        entry.reject(
          new BridgeRequestError(
            error.code ?? 'internal',
            error.message ?? 'The notebook app refused the request.',
          ),
        );
      }
    } else if (message.type === 'event' && typeof message.event === 'string') {
      for (const listener of listeners) listener(message as unknown as BridgeEventBody);
    }
  }
  host.addEventListener('message', handleMessage);

  return {
    request(body, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      const target = options.getTarget();
      if (target === null) {
        return Promise.reject(new BridgeRequestError('closed', 'The notebook app is not open.'));
      }
      const requestId = randomId();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(requestId);
          reject(new BridgeRequestError('timeout', `No answer to ${body.type} in time.`));
        }, timeoutMs);
        pending.set(requestId, {
          resolve: resolve as (result: unknown) => void,
          reject,
          timer,
        });
        target.postMessage(
          { protocol: BRIDGE_PROTOCOL, version: BRIDGE_PROTOCOL_VERSION, requestId, ...body },
          options.origin,
        );
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      host.removeEventListener('message', handleMessage);
      listeners.clear();
      for (const [id, entry] of pending) {
        clearTimeout(entry.timer);
        entry.reject(new BridgeRequestError('closed', 'The notebook app was closed.'));
        pending.delete(id);
      }
    },
  };
}
