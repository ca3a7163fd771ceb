import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../ai/providers/mock.js';
import { openDatabase, type Database } from '../db/client.js';
import { messages } from '../db/schema/index.js';
import { STALE_AFTER_MS } from '../modules/chat/turn.types.js';
import { registerThroughApi, type SignedInUser } from '../test/factories.js';
import { createTestApp, type TestApp } from '../test/harness.js';
import { connectClient, handshakeRefusal } from '../test/socket-client.js';
import { drainReplica } from './drain.js';
import { closeRedis, connectRedis, type SharedRedis } from './redis.js';

/**
 * Two replicas of the real app in one process: one database, one Redis, each with its own
 * socket.io server, Redis connection and timers, exactly as two containers would have.
 */
const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) {
  console.warn(
    '\n*** SKIPPING the two-replica tests: TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379). ' +
      '.ci/run starts Redis and sets it. ***\n',
  );
}

const classification = {
  structured: {
    isNewProblem: true,
    isElaborationRequest: false,
    difficulty: { programming: 3, maths: 1 },
    problemSummary: 'reverse a list',
  },
};

type Client = Awaited<ReturnType<typeof connectClient>>;

describe.skipIf(!redisUrl)('two replicas behind one Redis and one database', () => {
  let a: TestApp;
  let b: TestApp;
  let urlA: string;
  let urlB: string;
  let provider: MockProvider;
  let student: SignedInUser;
  let secondPool: Database | undefined;
  const redisClients: SharedRedis[] = [];
  const logger = { warn: () => {}, info: () => {} } as never;

  beforeAll(async () => {
    provider = createMockProvider({ name: 'anthropic' });
    // A prefix of its own, so parallel runs sharing this Redis never hear each other.
    const keyPrefix = `hintbook-test-${randomBytes(4).toString('hex')}`;
    const env = {
      LLM_PROVIDER: 'anthropic',
      CHAT_TURNS_PER_MINUTE: '100',
      CHAT_DAILY_TOKENS: '0',
      CHAT_WEEKLY_TOKENS: '0',
      AUTH_RATE_LIMIT_PER_MINUTE: '4',
      LOGIN_MAX_FAILURES: '100',
      SOCKET_MAX_CONNECTIONS_PER_USER: '3',
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: keyPrefix,
    };
    const ai = { factories: { anthropic: () => provider }, sleep: async () => {} };
    const replica = async (shared?: { database: Database }) => {
      const redis = { client: await connectRedis(redisUrl!, logger), keyPrefix };
      redisClients.push(redis);
      return createTestApp(env, shared, { ai, redis });
    };
    a = await replica();
    // On a real server, B gets its own connection pool, as another container would.
    secondPool = a.databaseUrl
      ? openDatabase({ url: a.databaseUrl, dataDir: 'unused', poolMax: 5 })
      : undefined;
    b = await replica({ database: secondPool ?? a.database });
    urlA = await a.listen();
    urlB = await b.listen();
    student = await registerThroughApi(a.app, { programmingLevel: 2 });
  });
  afterAll(async () => {
    await b?.close();
    await secondPool?.close();
    await a?.close();
    for (const redis of redisClients) await closeRedis(redis.client);
  });
  beforeEach(() => provider.reset());

  function send(client: Client, payload: Record<string, unknown> = {}) {
    return client.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'How do I reverse a list in Python?',
      ...payload,
    } as never) as Promise<{ ok: true; turnId: string; sessionId: string }>;
  }

  async function storedAnswer(turnId: string) {
    const [row] = await a.database.db.select().from(messages).where(eq(messages.id, turnId));
    return row;
  }

  it('a stop sent through replica B ends the turn running on replica A', async () => {
    provider.enqueue(classification, { text: 'one two three four five six', stallAfterTokens: 2 });
    const onA = await connectClient(urlA, student.accessToken);
    const onB = await connectClient(urlB, student.accessToken);
    const ack = await send(onA);
    // B's socket sees A's deltas: they travel through the Redis adapter.
    await onB.waitFor(
      (event) => event.name === 'chat:delta' && event.payload.turnId === ack.turnId,
    );

    const stopped = await onB.socket
      .timeout(5_000)
      .emitWithAck('chat:stop', { sessionId: ack.sessionId, turnId: ack.turnId });
    expect(stopped).toEqual({ ok: true });

    const [doneOnA, doneOnB] = await Promise.all([
      onA.terminalOf(ack.turnId),
      onB.terminalOf(ack.turnId),
    ]);
    expect(doneOnA.payload).toMatchObject({ status: 'interrupted', content: 'one two' });
    expect(doneOnB.payload).toEqual(doneOnA.payload);
    expect(await storedAnswer(ack.turnId)).toMatchObject({
      status: 'interrupted',
      content: 'one two',
    });
    onA.close();
    onB.close();
  });

  it('a client that reconnects to replica B gets what it missed of a turn running on A', async () => {
    provider.enqueue(classification, { text: 'a b c d e f g h', tokenDelayMs: 40 });
    const first = await connectClient(urlA, student.accessToken);
    const ack = await send(first);
    await first.waitFor((event) => event.name === 'chat:delta' && event.payload.seq === 2);
    first.close();

    const second = await connectClient(urlB, student.accessToken);
    const resumed = await second.socket
      .timeout(5_000)
      .emitWithAck('chat:resume', { sessionId: ack.sessionId, turnId: ack.turnId, afterSeq: 2 });
    expect(resumed).toMatchObject({ ok: true });
    const done = await second.terminalOf(ack.turnId);
    const seqs = second
      .eventsOf(ack.turnId)
      .filter((event) => event.name === 'chat:delta')
      .map((event) => event.payload.seq as number);
    // Replayed by A and live through Redis may overlap (the client keys them by seq); together
    // they are exactly what was missed, and the text is whole.
    expect([...new Set(seqs)].sort((x, y) => x - y)).toEqual([3, 4, 5, 6, 7]);
    expect(done.payload).toMatchObject({ status: 'complete', content: 'a b c d e f g h' });
    second.close();
  });

  it('a finished turn of replica A resumes on B from the database', async () => {
    provider.enqueue(classification, { text: 'Think about indices.' });
    const onA = await connectClient(urlA, student.accessToken);
    const ack = await send(onA);
    await onA.terminalOf(ack.turnId);
    onA.close();
    const onB = await connectClient(urlB, student.accessToken);
    const resumed = await onB.socket
      .timeout(5_000)
      .emitWithAck('chat:resume', { sessionId: ack.sessionId, turnId: ack.turnId, afterSeq: 0 });
    expect(resumed).toEqual({ ok: true, state: 'finished' });
    const done = await onB.terminalOf(ack.turnId);
    expect(done.payload).toMatchObject({ status: 'complete', content: 'Think about indices.' });
    onB.close();
  });

  it('counts a sign-in rate limit across both replicas', async () => {
    const attempt = (app: TestApp) =>
      request(app.app)
        .post('/api/auth/login')
        .send({ email: `nobody-${randomUUID()}@school.example`, password: 'wrong password' });
    // Per address and email: the same email, alternating replicas, 4 allowed a minute.
    const email = `guess-${randomUUID()}@school.example`;
    const statuses: number[] = [];
    for (const app of [a, b, a, b, a]) {
      const response = await request(app.app)
        .post('/api/auth/login')
        .send({ email, password: 'wrong password' });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // Another address is counted on its own.
    expect((await attempt(b)).status).toBe(401);
  });

  it('caps a student’s sockets across both replicas', async () => {
    const user = await registerThroughApi(b.app);
    const sockets = [
      await connectClient(urlA, user.accessToken),
      await connectClient(urlB, user.accessToken),
      await connectClient(urlA, user.accessToken),
    ];
    expect(await handshakeRefusal(urlB, user.accessToken)).toBe('realtime.too_many_connections');
    sockets.pop()!.close();
    // The freed slot is released through Redis: B lets the next one in.
    const connectOnB = async () => {
      const client = await connectClient(urlB, user.accessToken);
      client.close();
      return 'connected';
    };
    await expect.poll(connectOnB).toBe('connected');
    for (const socket of sockets) socket.close();
  });

  it('runs background work on one replica at a time', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const onA = a.hintbook.runExclusively('retrieval-sync', () => held.then(() => 'ran on A'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const onB = await b.hintbook.runExclusively('retrieval-sync', async () => 'ran on B');
    release();
    expect(await onA).toBe('ran on A');
    expect(onB).toBeUndefined();
    // Once A is done, the job is free again.
    expect(await b.hintbook.runExclusively('retrieval-sync', async () => 'ran on B')).toBe(
      'ran on B',
    );
  });

  it('a draining replica fails readiness, starts no turn, and finishes the one it runs', async () => {
    provider.enqueue(classification, { text: 'a b c d e f', tokenDelayMs: 40 });
    const onA = await connectClient(urlA, student.accessToken);
    const onB = await connectClient(urlB, student.accessToken);
    const ack = await send(onA);
    await onB.waitFor(
      (event) => event.name === 'chat:delta' && event.payload.turnId === ack.turnId,
    );

    const drained = drainReplica({
      drain: a.hintbook.drain,
      server: a.hintbook.server,
      io: a.hintbook.io,
      activeTurns: a.hintbook.turns.activeTurns,
      logger: { info: () => {} } as never,
      timeoutMs: 10_000,
      hasPeers: true,
    });
    const health = await request(a.app).get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unavailable', draining: true });
    // A's sockets were closed so they reconnect elsewhere; the answer still reaches B whole.
    await expect.poll(() => onA.socket.connected).toBe(false);
    const done = await onB.terminalOf(ack.turnId);
    expect(done.payload).toMatchObject({ status: 'complete', content: 'a b c d e f' });
    expect(await drained).toBe(0);

    // A question sent to a draining replica is not answered there: the connection drops
    // unacknowledged, so the client resends it (same client id) once reconnected elsewhere.
    b.hintbook.drain.start();
    const clientMessageId = randomUUID();
    await expect(
      onB.socket
        .timeout(1_000)
        .emitWithAck('chat:send', { clientMessageId, content: 'Still there?' } as never),
    ).rejects.toThrow();
    await expect.poll(() => onB.socket.connected).toBe(false);
    const stored = await a.database.db
      .select()
      .from(messages)
      .where(eq(messages.clientMessageId, clientMessageId));
    expect(stored).toEqual([]);
    onB.close();
  });
});

describe.skipIf(!redisUrl)('a replica that dies in the middle of an answer', () => {
  let a: TestApp;
  let b: TestApp;
  let provider: MockProvider;
  let replica: (shared?: { database: Database }) => Promise<TestApp>;
  const redisClients: SharedRedis[] = [];

  beforeAll(async () => {
    provider = createMockProvider({ name: 'anthropic' });
    const keyPrefix = `hintbook-test-${randomBytes(4).toString('hex')}`;
    const env = { LLM_PROVIDER: 'anthropic', REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: keyPrefix };
    const ai = { factories: { anthropic: () => provider }, sleep: async () => {} };
    replica = async (shared?: { database: Database }) => {
      const redis = {
        client: await connectRedis(redisUrl!, { warn: () => {} } as never),
        keyPrefix,
      };
      redisClients.push(redis);
      return createTestApp(env, shared, { ai, redis });
    };
    a = await replica();
    b = await replica({ database: a.database });
  });

  it('is not ended when a database outage outlasted its lease: heartbeats could not be written', async () => {
    // A third replica whose every query fails while `isDown` (the database unreachable).
    let isDown = false;
    const db = new Proxy(a.database.db, {
      get(target, key) {
        if (isDown) throw new Error('connect ECONNREFUSED (the database is down)');
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const c = await replica({ database: { ...a.database, db } });
    try {
      const urlA = await a.listen();
      const student = await registerThroughApi(a.app);
      provider.enqueue(classification, { text: 'one two three four', stallAfterTokens: 2 });
      const onA = await connectClient(urlA, student.accessToken);
      const ack = (await onA.socket.timeout(5_000).emitWithAck('chat:send', {
        clientMessageId: randomUUID(),
        content: 'How do I reverse a list?',
      } as never)) as { turnId: string; sessionId: string };
      await expect
        .poll(async () => {
          const [row] = await a.database.db
            .select()
            .from(messages)
            .where(eq(messages.id, ack.turnId));
          return row?.content;
        })
        .toBe('one two');

      isDown = true;
      await expect(c.hintbook.orphans.sweepNow()).rejects.toThrow('ECONNREFUSED');
      c.clock.advance(STALE_AFTER_MS + 2_000); // down for longer than a lease
      isDown = false;
      // Back: every live answer's heartbeat is old, and A's is alive. It stays running.
      expect(await c.hintbook.orphans.sweepNow()).toBe(0);
      const [row] = await a.database.db.select().from(messages).where(eq(messages.id, ack.turnId));
      expect(row?.status).toBe('streaming');

      // Its own end comes from A, once: a stop here.
      await onA.socket
        .timeout(5_000)
        .emitWithAck('chat:stop', { sessionId: ack.sessionId, turnId: ack.turnId });
      const end = await onA.terminalOf(ack.turnId);
      expect(end).toMatchObject({ name: 'chat:done', payload: { status: 'interrupted' } });
      expect(
        onA.eventsOf(ack.turnId).filter((e) => e.name === 'chat:done' || e.name === 'chat:error'),
      ).toHaveLength(1);
      onA.close();
    } finally {
      await c.close();
    }
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    for (const redis of redisClients) await closeRedis(redis.client);
  });

  it('is ended as interrupted, with a retry that works, once its lease runs out', async () => {
    const urlA = await a.listen();
    const urlB = await b.listen();
    const student = await registerThroughApi(a.app);
    provider.enqueue(classification, { text: 'one two three four', stallAfterTokens: 2 });
    const onA = await connectClient(urlA, student.accessToken);
    const onB = await connectClient(urlB, student.accessToken);
    const ack = (await onA.socket.timeout(5_000).emitWithAck('chat:send', {
      clientMessageId: randomUUID(),
      content: 'How do I reverse a list?',
    } as never)) as { turnId: string; sessionId: string };
    await onB.waitFor(
      (event) => event.name === 'chat:delta' && event.payload.turnId === ack.turnId,
    );
    // Let A's flusher store the partial text and a heartbeat, then kill A: no drain, no
    // interrupt, its timers and its Redis traffic simply stop.
    await expect
      .poll(async () => {
        const [row] = await b.database.db
          .select()
          .from(messages)
          .where(eq(messages.id, ack.turnId));
        return row?.content;
      })
      .toBe('one two');
    a.hintbook.stopBackgroundWork();
    await a.hintbook.io.close();

    // Within the lease nobody touches it; past the lease, B's next sweep ends it.
    expect(await b.hintbook.orphans.sweepNow()).toBe(0);
    b.clock.advance(STALE_AFTER_MS + 1);
    const ended = await onB.terminalOf(ack.turnId);
    expect(ended.name).toBe('chat:error');
    expect(ended.payload).toMatchObject({
      code: 'ai.interrupted',
      retryable: true,
      content: 'one two',
    });
    const [stored] = await b.database.db.select().from(messages).where(eq(messages.id, ack.turnId));
    expect(stored).toMatchObject({ status: 'interrupted', content: 'one two' });
    // Exactly one terminal event reached the student.
    expect(
      onB.eventsOf(ack.turnId).filter((e) => e.name === 'chat:done' || e.name === 'chat:error'),
    ).toHaveLength(1);

    provider.enqueue(classification, { text: 'Try slicing.' });
    const retried = (await onB.socket.timeout(5_000).emitWithAck('chat:retry', {
      sessionId: ack.sessionId,
      clientMessageId: randomUUID(),
    } as never)) as { ok: boolean; turnId: string };
    expect(retried).toMatchObject({ ok: true });
    const done = await onB.terminalOf(retried.turnId);
    expect(done.payload).toMatchObject({ status: 'complete', content: 'Try slicing.' });
    onA.close();
    onB.close();
  });

  it('is kept while its replica is alive but too busy to flush it, and ended once that replica dies', async () => {
    // A third replica whose pool is saturated while `saturated` is set: the flush of its answers'
    // text (and their heartbeats) waits, as behind hundreds of streams. Its liveness beat has a
    // connection of its own (Database.livenessDb), which the saturation does not reach.
    let saturated = false;
    let unblock = () => {};
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    const db = new Proxy(a.database.db, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (key === 'execute' && typeof value === 'function')
          return async (...args: unknown[]) => {
            if (saturated) await blocked;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const c = await replica({ database: { ...a.database, db } });
    c.clock.set(b.clock());
    try {
      const urlC = await c.listen();
      const urlB = await b.listen();
      const student = await registerThroughApi(c.app);
      provider.enqueue(classification, { text: 'one two three four', stallAfterTokens: 2 });
      const onC = await connectClient(urlC, student.accessToken);
      const onB = await connectClient(urlB, student.accessToken);
      const ack = (await onC.socket.timeout(5_000).emitWithAck('chat:send', {
        clientMessageId: randomUUID(),
        content: 'How do I reverse a list?',
      } as never)) as { turnId: string; sessionId: string };
      const stored = async () =>
        (await b.database.db.select().from(messages).where(eq(messages.id, ack.turnId)))[0];
      await expect.poll(async () => (await stored())?.content).toBe('one two');

      saturated = true;
      c.clock.advance(STALE_AFTER_MS + 1);
      b.clock.advance(STALE_AFTER_MS + 1);
      await c.hintbook.owner.beatNow();
      // The answer's own heartbeat is a lease old; its owner's beat is fresh: B leaves it.
      expect(await b.hintbook.orphans.sweepNow()).toBe(0);
      expect(await stored()).toMatchObject({ status: 'streaming', content: 'one two' });
      // Now C dies: its beat stops too, and past a lease B ends the answer, keeping its text.
      c.hintbook.stopBackgroundWork();
      await c.hintbook.io.close();
      b.clock.advance(STALE_AFTER_MS + 1);
      expect(await b.hintbook.orphans.sweepNow()).toBe(1);
      expect(await stored()).toMatchObject({ status: 'interrupted', content: 'one two' });
      const ended = await onB.terminalOf(ack.turnId);
      expect(ended.payload).toMatchObject({ code: 'ai.interrupted', content: 'one two' });
      onB.close();
      onC.close();
    } finally {
      unblock();
      await c.close();
    }
  });
});
