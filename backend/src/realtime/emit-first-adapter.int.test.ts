import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import {
  connect as connectTcp,
  createServer as createTcpServer,
  Socket,
  type AddressInfo,
} from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeRedis, connectRedis, type RedisClient } from '../cluster/redis.js';
import { emitFirstAdapter } from './emit-first-adapter.js';

/**
 * Two socket.io servers on one real Redis, as two replicas, each with the emit-first adapter
 * io.ts uses. Replica A's XADDs take PUBLISH_DELAY_MS, as on a Redis (or a replica) too busy to
 * answer within an event-loop turn: that is what a delta must not wait for.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const PUBLISH_DELAY_MS = 150;
const ROOM = 'user:u1';

/** A stream entry's data as the adapter parses it (the client's parse of the packet is an array). */
const isStreamEntryWith = (text: unknown, marker: string) =>
  typeof text === 'string' && text.startsWith('{"packet"') && text.includes(marker);

const DELTAS = 12;
const redisPort = Number(new URL(redisUrl ?? 'redis://127.0.0.1:6379').port || 6379);

/** The writes to Redis (one write/writev system call each on loopback) and the XADDs in each. */
function countXaddWrites() {
  const writev = vi.spyOn(Socket.prototype, '_writev' as never) as unknown as {
    mock: { calls: [{ chunk: unknown }[]][]; contexts: Socket[] };
    mockRestore(): void;
  };
  const write = vi.spyOn(Socket.prototype, '_write' as never) as unknown as {
    mock: { calls: [unknown][]; contexts: Socket[] };
    mockRestore(): void;
  };
  // node-redis writes each command as RESP, its name first: "*<n>\r\n$4\r\nXADD\r\n…".
  const head = (chunk: unknown) =>
    typeof chunk === 'string'
      ? chunk.slice(0, 32)
      : Buffer.isBuffer(chunk)
        ? chunk.toString('latin1', 0, 32)
        : '';
  const isXadd = (chunk: unknown) => /^\*\d+\r\n\$4\r\nXADD\r\n/.test(head(chunk));
  return {
    xaddsPerWrite: () =>
      [
        ...writev.mock.calls.map(([chunks], i) => ({
          socket: writev.mock.contexts[i],
          chunks: chunks.map(({ chunk }) => chunk),
        })),
        ...write.mock.calls.map(([chunk], i) => ({
          socket: write.mock.contexts[i],
          chunks: [chunk],
        })),
      ]
        .filter(({ socket }) => socket?.remotePort === redisPort)
        .map(({ chunks }) => chunks.filter(isXadd).length)
        .filter((count) => count > 0),
    restore() {
      writev.mockRestore();
      write.mockRestore();
    },
  };
}

/**
 * Loopback connections whose data is all readable before the next poll phase, so that each
 * connection's 'data' callback runs in that one phase, as answer chunks from several provider
 * sockets do on a busy replica.
 */
async function socketsReadableInOnePoll(count: number, onData: (index: number) => void) {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted: Socket[] = [];
  server.on('connection', (socket) => accepted.push(socket));
  const port = (server.address() as AddressInfo).port;
  const senders = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve) => {
          const socket: Socket = connectTcp(port, '127.0.0.1', () => resolve(socket));
        }),
    ),
  );
  while (accepted.length < count) await sleep(5);
  let received = 0;
  for (const socket of accepted) socket.on('data', () => onData(received++));
  for (const sender of senders) sender.write('x');
  // Blocks the loop until every byte has landed: the next poll phase finds them all readable.
  const until = Date.now() + 30;
  while (Date.now() < until);
  return {
    close() {
      senders.forEach((socket) => socket.destroy());
      server.close();
    },
  };
}

interface Received {
  name: string;
  args: unknown[];
  at: number;
}

describe.skipIf(!redisUrl)('the emit-first adapter on two replicas', () => {
  const clients: RedisClient[] = [];
  const servers: { io: Server; http: HttpServer }[] = [];
  const sockets: ClientSocket[] = [];
  let a: Server;
  let b: Server;
  let urlA: string;
  let urlB: string;

  async function replica(prefix: string, slowPublish: boolean) {
    const client = await connectRedis(redisUrl!, { warn: () => {}, info: () => {} } as never);
    clients.push(client);
    const publisher = slowPublish
      ? new Proxy(client, {
          get(target, property) {
            if (property === 'xAdd') {
              return async (...args: Parameters<RedisClient['xAdd']>) => {
                await sleep(PUBLISH_DELAY_MS);
                return target.xAdd(...args);
              };
            }
            const value = Reflect.get(target, property) as unknown;
            return typeof value === 'function' ? value.bind(target) : value;
          },
        })
      : client;
    const http = createServer();
    const io = new Server(http, {
      connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
      adapter: emitFirstAdapter(
        createAdapter(publisher, {
          streamName: `${prefix}:socket.io`,
          channelPrefix: `${prefix}:socket.io`,
          sessionKeyPrefix: `${prefix}:sio:session:`,
          onlyPlaintext: true,
          blockTimeInMs: 500,
        }),
        (packet) => packet.data?.[0] === 'chat:delta',
      ),
    });
    io.on('connection', (socket) => void socket.join(ROOM));
    servers.push({ io, http });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
  }

  async function listen(url: string) {
    const received: Received[] = [];
    const socket = connect(url, { transports: ['websocket'], forceNew: true });
    sockets.push(socket);
    socket.onAny((name: string, ...args: unknown[]) =>
      received.push({ name, args, at: performance.now() }),
    );
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return { socket, received };
  }

  async function until(check: () => boolean) {
    const deadline = Date.now() + 5_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(5);
    }
  }

  beforeAll(async () => {
    const prefix = `hintbook-test-${randomBytes(4).toString('hex')}`;
    ({ io: a, url: urlA } = await replica(prefix, true));
    ({ io: b, url: urlB } = await replica(prefix, false));
    // The readers start with the stream's end ("$"): let their first XREAD begin.
    await sleep(300);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    for (const { io } of servers) await io.close();
    for (const client of clients) await closeRedis(client);
  });

  it('sends a delta to this replica’s sockets at once, and to the other’s through the stream with its offset', async () => {
    const onA = await listen(urlA);
    const onB = await listen(urlB);
    const emittedAt = performance.now();
    a.to(ROOM).emit('chat:delta', { seq: 1, text: 'x' });

    await until(() => onA.received.length === 1 && onB.received.length === 1);
    const [here] = onA.received;
    const [there] = onB.received;
    expect(here!.at - emittedAt).toBeLessThan(PUBLISH_DELAY_MS);
    expect(here!.args).toEqual([{ seq: 1, text: 'x' }]);
    expect(there!.at - emittedAt).toBeGreaterThanOrEqual(PUBLISH_DELAY_MS);
    expect(there!.args).toEqual([{ seq: 1, text: 'x' }, expect.stringMatching(/^\d+-\d+$/)]);
    onA.socket.close();
    onB.socket.close();
  });

  it('leaves its own stream entries unparsed; the other replica parses them for its socket', async () => {
    const onB = await listen(urlB);
    const marker = `own-entry-${randomBytes(4).toString('hex')}`;
    const parse = vi.spyOn(JSON, 'parse');
    const parsedWithMarker = () =>
      parse.mock.calls.filter(([text]) => isStreamEntryWith(text, marker)).length;
    try {
      a.to(ROOM).emit('chat:delta', { seq: 1, text: marker });
      await until(() => onB.received.length === 1);
      // Both readers have had time for their next XREAD (blockTimeInMs 500).
      await sleep(800);
      expect(parsedWithMarker()).toBe(1);
    } finally {
      parse.mockRestore();
      onB.socket.close();
    }
  });

  it('leaves another replica’s entry unparsed when none of its rooms has a socket here', async () => {
    const onB = await listen(urlB);
    const marker = `no-socket-here-${randomBytes(4).toString('hex')}`;
    const parse = vi.spyOn(JSON, 'parse');
    const parsedWithMarker = () =>
      parse.mock.calls.filter(([text]) => isStreamEntryWith(text, marker)).length;
    try {
      // B's socket is in ROOM, not in this one; then a delta to ROOM shows B has read past both.
      a.to('user:nobody-here').emit('chat:delta', { seq: 1, text: marker });
      a.to(ROOM).emit('chat:delta', { seq: 2, text: 'after' });
      await until(() => onB.received.length === 1);
      await sleep(800);
      expect(onB.received.map(({ args }) => args[0])).toEqual([{ seq: 2, text: 'after' }]);
      expect(parsedWithMarker()).toBe(0);
    } finally {
      parse.mockRestore();
      onB.socket.close();
    }
  });

  it('keeps the order per room: a delta emitted right after a turn event arrives after it', async () => {
    const onA = await listen(urlA);
    const onB = await listen(urlB);
    a.to(ROOM).emit('chat:turn', { turnId: 't1' });
    a.to(ROOM).emit('chat:delta', { seq: 1, text: 'a' });
    a.to(ROOM).emit('chat:delta', { seq: 2, text: 'b' });
    a.to(ROOM).emit('chat:done', { turnId: 't1' });

    await until(() => onA.received.length === 4 && onB.received.length === 4);
    for (const { received } of [onA, onB]) {
      expect(received.map((event) => event.name)).toEqual([
        'chat:turn',
        'chat:delta',
        'chat:delta',
        'chat:done',
      ]);
    }
    // Events other than deltas waited for their XADD here too, and carry its offset.
    expect(onA.received[0]!.args[1]).toMatch(/^\d+-\d+$/);
    expect(onA.received[3]!.args[1]).toMatch(/^\d+-\d+$/);
    onA.socket.close();
    onB.socket.close();
  });

  it('sends the deltas of one event-loop turn and the end after them to Redis in one write, in order', async () => {
    const onA = await listen(urlA);
    const redisWrites = countXaddWrites();
    const tcp = await socketsReadableInOnePoll(DELTAS, (index) => {
      // As the answer's chunks arrive from provider sockets: each delta in an I/O callback of
      // its own, the last one followed by the turn's end (publish first) in the same callback.
      b.to(ROOM).emit('chat:delta', { seq: index + 1, text: String(index) });
      if (index === DELTAS - 1) b.to(ROOM).emit('chat:done', { turnId: 't3' });
    });
    try {
      await until(() => onA.received.length === DELTAS + 1);
      expect(onA.received.map(({ name, args }) => (name === 'chat:done' ? name : args[0]))).toEqual(
        [
          ...Array.from({ length: DELTAS }, (_, index) => ({
            seq: index + 1,
            text: String(index),
          })),
          'chat:done',
        ],
      );
      // node-redis writes what a loop turn queued in one writev (its own setImmediate), so the
      // adapter need not batch its publishes: see docs/operations.md, section 7.
      expect(redisWrites.xaddsPerWrite()).toEqual([DELTAS + 1]);
    } finally {
      redisWrites.restore();
      tcp.close();
      onA.socket.close();
    }
  });

  it('gives a socket that recovers its connection the deltas it missed, from the stream', async () => {
    const onA = await listen(urlA);
    a.to(ROOM).emit('chat:turn', { turnId: 't2' });
    a.to(ROOM).emit('chat:delta', { seq: 1, text: 'a' });
    await until(() => onA.received.length === 2);

    // The transport drops (not a client-side disconnect): socket.io reconnects and recovers.
    onA.socket.io.engine.close();
    await sleep(50);
    a.to(ROOM).emit('chat:delta', { seq: 2, text: 'b' });
    a.to(ROOM).emit('chat:delta', { seq: 3, text: 'c' });
    await until(() => onA.socket.connected);
    expect(onA.socket.recovered).toBe(true);

    const deltas = () =>
      onA.received
        .filter((event) => event.name === 'chat:delta')
        .map((event) => (event.args[0] as { seq: number }).seq);
    await until(() => deltas().includes(3));
    // From the last offset it held (the turn event's): seq 1 again is harmless, 2 and 3 arrive.
    expect([...new Set(deltas())].sort()).toEqual([1, 2, 3]);
    onA.socket.close();
  });
});
