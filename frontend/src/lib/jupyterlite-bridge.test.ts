import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeRequestError, createBridgeClient } from './jupyterlite-bridge';
import { BRIDGE_PROTOCOL_VERSION } from '@hintbook/contracts/workspace-bridge';

const ORIGIN = 'https://hintbook.example';

/** A fake parent window (to deliver messages) and iframe window (to receive requests). */
function setup() {
  let handler: ((event: MessageEvent) => void) | null = null;
  const host = {
    addEventListener: vi.fn((_type: string, listener: (event: MessageEvent) => void) => {
      handler = listener;
    }),
    removeEventListener: vi.fn(() => {
      handler = null;
    }),
  } as unknown as Window;
  const posted: Array<{ message: Record<string, unknown>; targetOrigin: string }> = [];
  const frame = {
    postMessage: vi.fn((message: Record<string, unknown>, targetOrigin: string) => {
      posted.push({ message, targetOrigin });
    }),
  } as unknown as Window;
  const client = createBridgeClient({ getTarget: () => frame, origin: ORIGIN, host });
  function deliver(data: unknown, from: { source?: unknown; origin?: string } = {}) {
    handler?.({
      data,
      source: from.source ?? frame,
      origin: from.origin ?? ORIGIN,
    } as MessageEvent);
  }
  const envelope = { protocol: 'hintbook-bridge', version: BRIDGE_PROTOCOL_VERSION };
  return { client, posted, deliver, envelope, host, frame };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the JupyterLite bridge client', () => {
  it('posts versioned requests to the lite origin and matches answers by request id', async () => {
    const { client, posted, deliver, envelope } = setup();
    const ping = client.request({ type: 'ping' });
    const context = client.request({ type: 'get-context' });
    expect(posted).toHaveLength(2);
    expect(posted[0]!.targetOrigin).toBe(ORIGIN);
    expect(posted[0]!.message).toMatchObject({ ...envelope, type: 'ping' });
    const [pingId, contextId] = posted.map((entry) => entry.message.requestId);
    expect(pingId).not.toBe(contextId);

    // Answers arrive out of order.
    deliver({
      ...envelope,
      type: 'response',
      requestId: contextId,
      ok: true,
      result: { path: 'a' },
    });
    deliver({
      ...envelope,
      type: 'response',
      requestId: pingId,
      ok: true,
      result: { protocolVersion: 1, appVersion: '0.8.6' },
    });
    await expect(ping).resolves.toEqual({ protocolVersion: 1, appVersion: '0.8.6' });
    await expect(context).resolves.toEqual({ path: 'a' });
  });

  it('ignores messages from another origin, another window, or another protocol', async () => {
    const { client, posted, deliver, envelope } = setup();
    const events: unknown[] = [];
    client.onEvent((event) => events.push(event));
    const ping = client.request({ type: 'ping' }, { timeoutMs: 1_000 });
    const requestId = posted[0]!.message.requestId;
    const answer = { ...envelope, type: 'response', requestId, ok: true, result: 'forged' };

    deliver(answer, { origin: 'https://evil.example' });
    deliver(answer, { source: {} });
    deliver({ ...answer, protocol: 'other' });
    deliver({ ...envelope, type: 'event', event: 'dirty', path: 'x', dirty: true }, { source: {} });
    expect(events).toEqual([]);

    deliver({ ...answer, result: 'real' });
    await expect(ping).resolves.toBe('real');
    deliver({ ...envelope, type: 'event', event: 'ready', protocolVersion: 1, appVersion: '1' });
    expect(events).toEqual([
      { ...envelope, type: 'event', event: 'ready', protocolVersion: 1, appVersion: '1' },
    ]);
  });

  it('rejects with the bridge error code, and times out when nothing answers', async () => {
    const { client, posted, deliver, envelope } = setup();
    const open = client.request({ type: 'get-notebook' });
    deliver({
      ...envelope,
      type: 'response',
      requestId: posted[0]!.message.requestId,
      ok: false,
      error: { code: 'no-notebook', message: 'No notebook is open.' },
    });
    await expect(open).rejects.toMatchObject({
      code: 'no-notebook',
      message: 'No notebook is open.',
    });

    const slow = client.request({ type: 'get-context' }, { timeoutMs: 1_500 });
    const assertion = expect(slow).rejects.toBeInstanceOf(BridgeRequestError);
    await vi.advanceTimersByTimeAsync(1_500);
    await assertion;
    await expect(slow).rejects.toMatchObject({ code: 'timeout' });

    // A late answer to a timed-out request is dropped quietly.
    deliver({ ...envelope, type: 'response', requestId: posted[1]!.message.requestId, ok: true });
  });

  it('rejects what is pending and stops listening when closed', async () => {
    const { client, host } = setup();
    const pending = client.request({ type: 'ping' });
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    expect(host.removeEventListener).toHaveBeenCalled();
  });
});
