/**
 * Works around two races in `coincident` 1.x (1.2.3), which the Pyodide kernel (0.6.1 and later)
 * uses between the page and its worker when the page is cross-origin isolated. Both patches run
 * at the bridge's module load, before the kernel extension first imports coincident (which
 * captures `Atomics` and `Uint16Array` then).
 *
 * 1. The page calls the worker (`patchWaitAsync`).
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
const WRITES_MARK = Symbol.for('hintbook.sharedAnswerWritesPatched');

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

/**
 * 2. The worker calls the page (the kernel's drive: every file system call of Python).
 *
 * The page answers by writing the JSON text into a shared buffer one UTF-16 unit at a time and
 * then calling `Atomics.notify`. The worker posts its request and only then starts
 * `Atomics.wait(buffer, 0, 0)`; on a busy machine the page may have written the first units by
 * then, so the wait returns `not-equal` at once and the worker decodes a half-written answer. Seen
 * as a fatal kernel error, "Bad control character in string literal in JSON", under load.
 *
 * The patch holds back the writes to the first word (units 0 and 1) of any Uint16Array over a
 * SharedArrayBuffer until the page notifies on that buffer, so the word the worker waits on
 * changes last, after the whole answer is in place.
 */
export function patchSharedAnswerWrites(): void {
  const scope = globalThis as unknown as { Uint16Array: Uint16ArrayConstructor } & Record<
    symbol,
    boolean
  >;
  if (typeof SharedArrayBuffer === 'undefined' || scope[WRITES_MARK]) {
    return;
  }
  const NativeUint16Array = scope.Uint16Array;
  const held = new WeakMap<ArrayBufferLike, Map<number, number>>();
  const guard = (array: Uint16Array): Uint16Array =>
    new Proxy(array, {
      set(target, key, value) {
        if (key === '0' || key === '1') {
          const words = held.get(target.buffer) ?? new Map<number, number>();
          words.set(Number(key), Number(value));
          held.set(target.buffer, words);
          return true;
        }
        return Reflect.set(target, key, value);
      },
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const GuardedUint16Array = new Proxy(NativeUint16Array, {
    construct(target, args, newTarget) {
      const array = Reflect.construct(
        target,
        args,
        newTarget === GuardedUint16Array ? target : newTarget,
      ) as Uint16Array;
      return args[0] instanceof SharedArrayBuffer ? guard(array) : array;
    },
  });
  const nativeNotify = Atomics.notify as (
    array: Int32Array | BigInt64Array,
    index: number,
    count?: number,
  ) => number;
  Atomics.notify = function notify(
    array: Int32Array | BigInt64Array,
    index: number,
    count?: number,
  ) {
    const words = held.get(array.buffer);
    if (words) {
      held.delete(array.buffer);
      const plain = new NativeUint16Array(array.buffer);
      for (const [unit, value] of words) {
        plain[unit] = value;
      }
    }
    return nativeNotify.call(Atomics, array, index, count);
  } as typeof Atomics.notify;
  scope.Uint16Array = GuardedUint16Array;
  scope[WRITES_MARK] = true;
}
