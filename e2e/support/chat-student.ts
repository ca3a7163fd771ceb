/**
 * A student's tutor connection as the SPA makes it (frontend/src/lib/socket.ts and
 * useChatSession.ts), without a browser: socket.io-client over WebSocket only, through nginx,
 * reconnecting by itself; an unacknowledged question is resent with the same client message id
 * once connected again, and a running answer is resumed (`chat:resume` after the last seq held).
 * Every server event is recorded raw, so a test can check what reached the student against
 * what the database stored: no delta missing or contradicted, exactly one terminal event.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type {
  ChatDeltaEvent,
  ChatDoneEvent,
  ChatErrorEvent,
  ChatResumeAck,
  ChatSendAck,
} from '@hintbook/contracts';
import { request } from './http.js';
import { TEST_PASSWORD } from './accounts.js';

export interface Received {
  name: string;
  payload: Record<string, unknown>;
  /** performance.now() in this process. */
  at: number;
}

export type Terminal =
  { name: 'chat:done'; payload: ChatDoneEvent } | { name: 'chat:error'; payload: ChatErrorEvent };

export interface ChatStudent {
  email: string;
  /** The access token, for another tab (`openTutorSocket`). */
  token: string;
  socket: Socket;
  events: Received[];
  /** Asks a question (a new conversation unless `sessionId`); resolves once acknowledged. */
  ask(content: string, sessionId?: string): Promise<{ sessionId: string; turnId: string }>;
  retry(sessionId: string): Promise<{ sessionId: string; turnId: string }>;
  stop(sessionId: string, turnId: string): Promise<void>;
  deltasOf(turnId: string): ChatDeltaEvent[];
  /** When an event (one of `events`' payloads, e.g. a terminal's) arrived, performance.now(). */
  arrivalOf(payload: object): number;
  terminalsOf(turnId: string): Terminal[];
  /** Resolves with the turn's first terminal event (or rejects after `timeoutMs`). */
  terminalOf(turnId: string, timeoutMs?: number): Promise<Terminal>;
  /** Resolves once the turn's highest delta seq reached `seq`. */
  waitForDeltas(turnId: string, seq: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolves once nothing has arrived for the turn for `quietMs`: a second ending, or deltas
   * after the end, would show up by then.
   */
  settled(turnId: string, quietMs?: number, timeoutMs?: number): Promise<void>;
  /** Resolves once the socket is connected (at once when it is). */
  connected(timeoutMs?: number): Promise<void>;
  /** Disconnects seen so far, and resumes answered `unknown`. */
  disconnects: number;
  lostResumes: number;
  close(): void;
}

const ACK_TIMEOUT_MS = 10_000;

/** Registers through nginx (as the SPA's sign-up page does) and opens the tutor socket. */
export async function connectStudent(baseUrl: string, name: string): Promise<ChatStudent> {
  const email = `${name}-${randomUUID().slice(0, 8)}@school.example`;
  const registered = await request(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email,
      username: email.split('@')[0],
      password: TEST_PASSWORD,
      programmingLevel: 2,
      mathsLevel: 3,
    }),
  });
  if (registered.status !== 201) {
    throw new Error(`registration answered ${registered.status}: ${registered.text}`);
  }
  const token = (JSON.parse(registered.text) as { accessToken: string }).accessToken;
  return openTutorSocket(baseUrl, token, email);
}

/** Another tab of a signed-in student, at `baseUrl` (nginx, or one replica directly). */
export async function openTutorSocket(
  baseUrl: string,
  token: string,
  email: string,
): Promise<ChatStudent> {
  const socket = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: (callback) => callback({ token }),
    reconnectionDelay: 250,
    reconnectionDelayMax: 1_000,
  });
  const events: Received[] = [];
  socket.onAny((name: string, payload: Record<string, unknown>) => {
    events.push({ name, payload, at: performance.now() });
  });
  /** Questions and retries not acknowledged yet: resent, same id, on the next connect. */
  const pending = new Map<string, () => void>();
  /** Turns asked for and not ended: resumed on the next connect. */
  const running = new Map<string, string>();
  const student: ChatStudent = {
    email,
    token,
    socket,
    events,
    disconnects: 0,
    lostResumes: 0,
    ask: (content, sessionId) =>
      emitUntilAcked('chat:send', {
        clientMessageId: randomUUID(),
        content,
        ...(sessionId ? { sessionId } : {}),
      }),
    retry: (sessionId) =>
      emitUntilAcked('chat:retry', { sessionId, clientMessageId: randomUUID() }),
    async stop(sessionId, turnId) {
      await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:stop', { sessionId, turnId });
    },
    deltasOf: (turnId) =>
      events
        .filter((event) => event.name === 'chat:delta' && event.payload.turnId === turnId)
        .map((event) => event.payload as unknown as ChatDeltaEvent),
    arrivalOf: (payload) => {
      const event = events.find((each) => (each.payload as object) === payload);
      if (!event) throw new Error('not an event this student received');
      return event.at;
    },
    terminalsOf: (turnId) =>
      events.filter(
        (event) =>
          (event.name === 'chat:done' || event.name === 'chat:error') &&
          event.payload.turnId === turnId,
      ) as unknown as Terminal[],
    terminalOf: (turnId, timeoutMs = 30_000) =>
      waitUntil(() => student.terminalsOf(turnId)[0], timeoutMs, `no terminal event for ${turnId}`),
    waitForDeltas: async (turnId, seq, timeoutMs = 30_000) => {
      await waitUntil(
        () => student.deltasOf(turnId).some((delta) => delta.seq >= seq) || undefined,
        timeoutMs,
        `turn ${turnId} did not reach delta ${seq}`,
      );
    },
    settled: async (turnId, quietMs = 2_500, timeoutMs = 60_000) => {
      await waitUntil(
        () => {
          const last = events.findLast((event) => event.payload.turnId === turnId);
          return last && performance.now() - last.at >= quietMs ? true : undefined;
        },
        timeoutMs,
        `turn ${turnId} did not go quiet`,
      );
    },
    connected: async (timeoutMs = 20_000) => {
      await waitUntil(() => socket.connected || undefined, timeoutMs, 'the socket did not connect');
    },
    close: () => socket.close(),
  };

  socket.on('disconnect', () => {
    student.disconnects += 1;
  });
  socket.on('connect', () => {
    for (const resend of pending.values()) resend();
    for (const [turnId, sessionId] of running) {
      if (student.terminalsOf(turnId).length > 0) continue;
      const afterSeq = Math.max(0, ...student.deltasOf(turnId).map((delta) => delta.seq));
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('chat:resume', { sessionId, turnId, afterSeq })
        .then((ack: ChatResumeAck) => {
          if (!ack.ok || ack.state === 'unknown') student.lostResumes += 1;
        })
        .catch(() => undefined); // dropped again: the next connect resumes
    }
  });
  socket.on('chat:done', (event: ChatDoneEvent) => running.delete(event.turnId));
  socket.on('chat:error', (event: ChatErrorEvent) => running.delete(event.turnId));

  /** Sends until acknowledged, as the SPA does: a drop mid-way resends the same payload. */
  function emitUntilAcked(
    event: 'chat:send' | 'chat:retry',
    payload: Record<string, unknown>,
  ): Promise<{ sessionId: string; turnId: string }> {
    const id = String(payload.clientMessageId);
    return new Promise((resolve, reject) => {
      const giveUp = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${event} was never acknowledged`));
      }, 60_000);
      const attempt = () => {
        if (!socket.connected) return; // the next connect resends
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck(event, payload)
          .then((ack: ChatSendAck) => {
            if (!pending.has(id)) return;
            pending.delete(id);
            clearTimeout(giveUp);
            if (!ack.ok) return reject(new Error(`${event} refused: ${ack.error.code}`));
            running.set(ack.turnId, ack.sessionId);
            resolve({ sessionId: ack.sessionId, turnId: ack.turnId });
          })
          .catch(() => {
            // No ack: the connection dropped (a replica draining or dying). Still connected
            // means the server was slow: send again, the server stores a question once.
            if (socket.connected && pending.has(id)) attempt();
          });
      };
      pending.set(id, attempt);
      attempt();
    });
  }

  await student.connected();
  return student;
}

async function waitUntil<T>(check: () => T | undefined, timeoutMs: number, message: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${message} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
