import {
  ProviderError,
  type ChatStreamEvent,
  type ProviderName,
  type TokenUsage,
} from './types.js';

export interface WatchdogOptions {
  provider: ProviderName;
  /** From the call's start to its first event (covers connecting and the model's thinking). */
  firstTokenMs: number;
  /** Longest silence between two events once the answer flows. */
  tokenGapMs: number;
  /** The caller's signal (student pressed stop). */
  signal: AbortSignal;
  /** Cancels the underlying vendor call when the watchdog gives up on it. */
  cancel: () => void;
}

/**
 * Passes a provider's stream through, failing with ProviderError `timeout` when the first event
 * or the next one takes too long, and `aborted` the moment the caller's signal fires, even if the
 * SDK is stuck in a read. The abandoned vendor call is cancelled, never left running.
 */
export async function* watchStream(
  source: AsyncIterable<ChatStreamEvent>,
  options: WatchdogOptions,
): AsyncGenerator<ChatStreamEvent> {
  const iterator = source[Symbol.asyncIterator]();
  let hasEvent = false;
  let isFinished = false;
  try {
    while (true) {
      const limitMs = hasEvent ? options.tokenGapMs : options.firstTokenMs;
      const result = await withDeadline(iterator.next(), limitMs, options, hasEvent);
      if (result.done) {
        isFinished = true;
        return;
      }
      hasEvent = true;
      // Providers send `done` once the response was read to its end: a consumer that stops
      // there leaves nothing to cancel (an abort cost every answer a DOMException and its
      // listeners, ~0.15 ms on the event loop).
      if (result.value.type === 'done') isFinished = true;
      yield result.value;
    }
  } finally {
    if (!isFinished) options.cancel();
    // Not awaited: a generator stuck in a read only settles once the cancel lands.
    iterator.return?.().catch(() => undefined);
  }
}

/** How long a cancelled call gets to report the tokens it had counted. */
const USAGE_GRACE_MS = 250;

/**
 * After cancelling, the provider usually throws at once with the usage it had seen; waiting a
 * moment for it keeps timed-out and stopped calls counted instead of recorded as free. A call
 * cancelled just as it finished answers with its `done` event instead, which has the counts too.
 */
async function harvestUsage(pending: Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    pending.then(
      (result) => {
        const event = (result as IteratorResult<ChatStreamEvent> | undefined)?.value;
        return event?.type === 'done' ? event.usage : undefined;
      },
      (error: unknown) => error,
    ),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), USAGE_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (settled instanceof ProviderError) return settled.options.usage;
  return settled && !(settled instanceof Error) ? (settled as TokenUsage) : undefined;
}

function withDeadline<T>(
  pending: Promise<T>,
  limitMs: number,
  options: WatchdogOptions,
  hasEvent: boolean,
): Promise<T> {
  // Whatever the abandoned read does later must not surface as an unhandled rejection.
  pending.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    let isSettled = false;
    const giveUp = (kind: 'aborted' | 'timeout', message: string) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      options.cancel();
      void harvestUsage(pending).then((usage) =>
        reject(new ProviderError(options.provider, kind, message, { usage })),
      );
    };
    const onAbort = () => giveUp('aborted', 'request aborted');
    const timer = setTimeout(
      () => giveUp('timeout', `no ${hasEvent ? 'next' : 'first'} token within ${limitMs} ms`),
      limitMs,
    );
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        if (isSettled) return;
        isSettled = true;
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        if (isSettled) return;
        isSettled = true;
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
