import type { ApiClient } from '../../lib/api-client';

/**
 * The workspace kernel keeps the compiled bytecode of its start modules in this origin's Cache
 * Storage (jupyterlite/kernel/hintbook-pyodide.js), and runs it at the next kernel start. Student
 * code runs on this origin too, so on a shared computer one student could plant bytecode there
 * that the next student's kernel would run with that student's session. The cache belongs to one
 * user: it is dropped when a session ends, and when one starts for another user than the one
 * recorded (a school sign-in arrives as a restored session, not as a sign-in).
 *
 * The record is in localStorage, which student code can also write: it only stops a drop when it
 * names the next user's id, which a student would have to know in advance.
 */
export const KERNEL_BYTECODE_CACHE = 'hintbook-bytecode';
export const KERNEL_BYTECODE_OWNER_KEY = 'hintbook-bytecode-owner';

interface Dependencies {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Absent where the browser has no Cache Storage (then there is nothing to drop). */
  caches: Pick<CacheStorage, 'delete'> | undefined;
}

/** The browser's own, or null where storage is off (reading localStorage can throw then). */
function browserDependencies(): Dependencies | null {
  try {
    return { storage: globalThis.localStorage, caches: globalThis.caches };
  } catch {
    return null;
  }
}

/** Subscribes for the app's lifetime; returns the unsubscribe function. */
export function keepKernelBytecodePerUser(
  client: Pick<ApiClient, 'subscribe'>,
  dependencies: Dependencies | null = browserDependencies(),
): () => void {
  // Without storage there is no record to keep, and no Cache Storage to drop either.
  if (!dependencies?.storage) return () => undefined;
  const { storage, caches } = dependencies;
  const drop = async () => {
    try {
      await caches?.delete(KERNEL_BYTECODE_CACHE);
    } catch {
      // Only a slower next kernel start is at stake when the cache cannot be reached.
    }
  };
  return client.subscribe((event) => {
    if (event.type === 'ended') {
      storage.removeItem(KERNEL_BYTECODE_OWNER_KEY);
      void drop();
      return;
    }
    const userId = event.session.user.id;
    if (storage.getItem(KERNEL_BYTECODE_OWNER_KEY) === userId) return;
    storage.removeItem(KERNEL_BYTECODE_OWNER_KEY);
    void drop()
      .then(() => storage.setItem(KERNEL_BYTECODE_OWNER_KEY, userId))
      .catch(() => undefined); // a full storage: the next start for this user drops it again
  });
}
