/**
 * One task at a time per key, the rest queued in order; a key with nothing queued is forgotten.
 * Mirrors a database lock inside one process, so callers waiting for it wait here and not while
 * holding one of the pool's few connections.
 */
export function createKeyedMutex() {
  const tails = new Map<string, Promise<unknown>>();

  async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  }

  return { run };
}

export type KeyedMutex = ReturnType<typeof createKeyedMutex>;
