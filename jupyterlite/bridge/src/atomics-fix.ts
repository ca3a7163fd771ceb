/**
 * Works around a race in `coincident` 1.x, which the Pyodide kernel (0.8.6) uses to call its
 * worker when the page is cross-origin isolated.
 *
 * coincident posts a request and then calls `Atomics.waitAsync(buffer, 0)`, expecting the
 * promise form. When the idle worker answers before that call (common on a busy 2-core
 * machine), the word is no longer 0, `waitAsync` answers synchronously with
 * `{ async: false, value: 'not-equal' }`, coincident crashes on `.value.then` and the cell stays
 * pending forever. Seen in about 3 of 4 runs of the e2e test without this fix.
 *
 * The patch turns that synchronous `not-equal` into the asynchronous form. Because the worker
 * may still be copying its answer when the first word changes, it then waits (bounded) for the
 * worker's notify before resolving. Only the main thread is patched (the kernel's worker has
 * its own `Atomics`), and callers that read `async` still get a truthful `not-equal`.
 */

type WaitResult =
  { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<string> };
type WaitAsync = (
  array: Int32Array | BigInt64Array,
  index: number,
  value: number | bigint,
  timeout?: number,
) => WaitResult;

/** How long to wait for the writer's notify after it has already changed the word. */
const SETTLE_MS = 50;
const MARK = Symbol.for('hintbook.waitAsyncPatched');

export function patchWaitAsync(): void {
  const atomics = Atomics as unknown as { waitAsync?: WaitAsync } & Record<symbol, boolean>;
  const native = atomics.waitAsync;
  if (typeof native !== 'function' || atomics[MARK]) {
    return;
  }
  const settle = async (array: Int32Array | BigInt64Array, index: number): Promise<string> => {
    const current = Atomics.load(array as Int32Array, index);
    const again = native.call(Atomics, array, index, current, SETTLE_MS);
    if (again.async) {
      await again.value;
    }
    return 'not-equal';
  };
  atomics.waitAsync = function waitAsync(array, index, value, timeout) {
    const result = native.call(Atomics, array, index, value, timeout);
    if (result.async || result.value !== 'not-equal') {
      return result;
    }
    return { async: true, value: settle(array, index) };
  };
  atomics[MARK] = true;
}
