/**
 * Caps how many callers run `task` at once; the rest queue in order. bcrypt hashing runs on
 * libuv's small thread pool, and a burst of logins would otherwise starve file and DNS work.
 */
export function createSemaphore(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];

  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  }

  return { run };
}
