import type { ApiClient } from '../../lib/api-client';

/**
 * The workspace kernel keeps the compiled bytecode of its start modules in this origin's Cache
 * Storage (jupyterlite/kernel/hintbook-pyodide.js), and runs it at the next kernel start. Student
 * code runs on this origin too, so on a shared computer one student could plant bytecode there
 * that the next student's kernel would run with that student's session. The cache belongs to one
 * sign-in: it is dropped when a session ends, and when one starts whose session id (the access
 * token's `sid`, the refresh-token family: the same across refreshes and page loads, new and
 * random at every sign-in, school sign-ins included) is not the one recorded.
 *
 * The record is in localStorage, which student code can also write; but it would have to name
 * the next sign-in's session id, which nobody knows before the server makes it up.
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

/** The access token's `sid` claim; null when the token is not a JWT that carries one. */
export function sessionIdOf(accessToken: string): string | null {
  const payload = accessToken.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { sid?: unknown };
    return typeof claims.sid === 'string' && claims.sid !== '' ? claims.sid : null;
  } catch {
    return null;
  }
}

/** Subscribes for the app's lifetime; returns the unsubscribe function. */
export function keepKernelBytecodePerSession(
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
    // A token without a session id never matches a record: the cache is dropped every time.
    const sessionId = sessionIdOf(event.session.accessToken);
    if (sessionId !== null && storage.getItem(KERNEL_BYTECODE_OWNER_KEY) === sessionId) return;
    storage.removeItem(KERNEL_BYTECODE_OWNER_KEY);
    void drop()
      .then(() => {
        if (sessionId !== null) storage.setItem(KERNEL_BYTECODE_OWNER_KEY, sessionId);
      })
      .catch(() => undefined); // a full storage: the next start drops it again
  });
}
