import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/api-client';
import { buildSession, buildUser } from '../../test/render-app';
import {
  KERNEL_BYTECODE_CACHE,
  KERNEL_BYTECODE_OWNER_KEY,
  keepKernelBytecodePerUser,
} from './kernel-bytecode';

function setUp(owner: string | null = null) {
  const values = new Map<string, string>();
  if (owner) values.set(KERNEL_BYTECODE_OWNER_KEY, owner);
  const deleted: string[] = [];
  const storage = {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
  // Cache Storage answers asynchronously, as the browser's does.
  const caches = {
    delete: async (name: string) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      deleted.push(name);
      return true;
    },
  };
  const client = createApiClient({ fetch: async () => new Response(null, { status: 204 }) });
  keepKernelBytecodePerUser(client, { storage, caches });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  return { client, deleted, owner: () => values.get(KERNEL_BYTECODE_OWNER_KEY) ?? null, settle };
}

describe('the kernel bytecode kept in the browser', () => {
  it('is dropped when a session starts for another user than the recorded one', async () => {
    const { client, deleted, owner, settle } = setUp('user-a');
    client.startSession(buildSession({ user: buildUser({ id: 'user-b' }) }));
    await settle();
    expect(deleted).toEqual([KERNEL_BYTECODE_CACHE]);
    expect(owner()).toBe('user-b');
  });

  it('is kept when the recorded user\u2019s session is restored (a page load)', async () => {
    const { client, deleted, owner, settle } = setUp('user-a');
    client.startSession(buildSession({ user: buildUser({ id: 'user-a' }) }));
    await settle();
    expect(deleted).toEqual([]);
    expect(owner()).toBe('user-a');
  });

  it('is dropped, with its owner, when the session ends', async () => {
    const { client, deleted, owner, settle } = setUp('user-a');
    client.startSession(buildSession({ user: buildUser({ id: 'user-a' }) }));
    client.endSession('signed-out');
    await settle();
    expect(deleted).toEqual([KERNEL_BYTECODE_CACHE]);
    expect(owner()).toBeNull();
  });
});
