import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/api-client';
import { buildSession } from '../../test/render-app';
import {
  KERNEL_BYTECODE_CACHE,
  KERNEL_BYTECODE_OWNER_KEY,
  keepKernelBytecodePerSession,
  sessionIdOf,
} from './kernel-bytecode';

/** An access token shaped as the backend signs it (the signature is not read by the SPA). */
function tokenWith(claims: Record<string, unknown>): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

function sessionWithId(sid: string) {
  return buildSession({ accessToken: tokenWith({ sub: 'user-1', ver: 0, sid, iat: 1 }) });
}

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
  keepKernelBytecodePerSession(client, { storage, caches });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  return { client, deleted, owner: () => values.get(KERNEL_BYTECODE_OWNER_KEY) ?? null, settle };
}

describe('the kernel bytecode kept in the browser', () => {
  it('is dropped when a sign-in starts another session than the recorded one', async () => {
    const { client, deleted, owner, settle } = setUp('session-a');
    client.startSession(sessionWithId('session-b'));
    await settle();
    expect(deleted).toEqual([KERNEL_BYTECODE_CACHE]);
    expect(owner()).toBe('session-b');
  });

  it('is dropped when a student wrote the next user\u2019s id as the record', async () => {
    // What a student could plant before leaving a shared computer: the next user's id is guessable.
    const { client, deleted, settle } = setUp('user-1');
    client.startSession(sessionWithId('session-b'));
    await settle();
    expect(deleted).toEqual([KERNEL_BYTECODE_CACHE]);
  });

  it('is kept when the recorded session is restored or refreshed', async () => {
    const { client, deleted, owner, settle } = setUp('session-a');
    client.startSession(sessionWithId('session-a'));
    client.startSession(sessionWithId('session-a'));
    await settle();
    expect(deleted).toEqual([]);
    expect(owner()).toBe('session-a');
  });

  it('is dropped at every start when the token carries no session id', async () => {
    const { client, deleted, owner, settle } = setUp('access-1');
    // buildSession's token is the opaque 'access-1': even a record equal to it matches nothing.
    client.startSession(buildSession());
    await settle();
    expect(deleted).toEqual([KERNEL_BYTECODE_CACHE]);
    expect(owner()).toBeNull();
  });

  it('is dropped, with its record, when the session ends', async () => {
    const { client, deleted, owner, settle } = setUp('session-a');
    client.startSession(sessionWithId('session-a'));
    client.endSession('signed-out');
    await settle();
    expect(deleted).toEqual([KERNEL_BYTECODE_CACHE]);
    expect(owner()).toBeNull();
  });
});

describe('sessionIdOf', () => {
  it('reads the sid claim of a JWT', () => {
    expect(sessionIdOf(tokenWith({ sid: 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff' }))).toBe(
      'f0e1d2c3-b4a5-4697-8899-aabbccddeeff',
    );
  });

  it('says null for tokens without one', () => {
    expect(sessionIdOf('access-1')).toBeNull();
    expect(sessionIdOf(tokenWith({ sub: 'user-1' }))).toBeNull();
    expect(sessionIdOf('a.%%%.c')).toBeNull();
  });
});
