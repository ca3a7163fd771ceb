import { randomUUID } from 'node:crypto';
import { DrizzleQueryError } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { TurnDeps } from '../modules/chat/turn.types.js';
import { registerChatHandlers } from './chat.handlers.js';
import type { HintbookServer } from './io.js';

type Listener = (payload: unknown, ack?: unknown) => Promise<void>;

/**
 * One connected socket over the real handlers. `isConfigured` is the tutor's first check, the
 * earliest step of `chat:send`, so throwing there needs nothing else faked.
 */
function connect(isConfigured: () => boolean) {
  const lines: string[] = [];
  const deps = {
    tutor: { isConfigured },
    logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
  } as unknown as TurnDeps;
  const listeners = new Map<string, Listener>();
  const socket = {
    id: 'socket-1',
    data: { user: { id: 'user-1', isAdmin: false } },
    on: (event: string, listener: Listener) => listeners.set(event, listener),
  };
  const io = { on: (_event: 'connection', onConnect: (s: unknown) => void) => onConnect(socket) };
  registerChatHandlers(io as unknown as HintbookServer, deps);
  const send = (payload: unknown) =>
    new Promise<unknown>((resolve) => void listeners.get('chat:send')!(payload, resolve));
  return { send, lines };
}

const throws = (error: Error) => (): boolean => {
  throw error;
};

const question = () => ({ clientMessageId: randomUUID(), content: 'Why does my loop stop?' });

describe('chat socket handlers', () => {
  it('logs an unexpected error in one bounded line and answers the client with a generic one', async () => {
    const { send, lines } = connect(
      throws(new TypeError(`cannot read x ${'of nothing '.repeat(100)}`)),
    );
    expect(await send(question())).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'Something went wrong on our side; please try again',
        retryable: true,
      },
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 50,
      msg: 'socket event failed',
      event: 'chat:send',
      socketId: 'socket-1',
      userId: 'user-1',
      errorName: 'TypeError',
    });
    expect(line.detail.length).toBeLessThanOrEqual(201);
    expect(line.at).toMatch(/^at /);
    expect(line).not.toHaveProperty('err');
  });

  it('logs the driver’s message of a failed query, never the query’s parameters', async () => {
    const driverError = Object.assign(new Error('value too long for type character varying(200)'), {
      code: '22001',
    });
    const { send, lines } = connect(
      throws(
        new DrizzleQueryError(
          'insert into "messages" ("content") values ($1)',
          ['my whole secret question'],
          driverError,
        ),
      ),
    );
    expect(await send(question())).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      errorName: 'DrizzleQueryError',
      code: '22001',
      detail: 'value too long for type character varying(200)',
    });
  });

  it('warns about an unreachable database and tells the client to retry', async () => {
    const { send, lines } = connect(
      throws(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    );
    expect(await send(question())).toMatchObject({
      ok: false,
      error: { code: 'database.unavailable', retryable: true },
    });
    expect(lines.map((text) => JSON.parse(text))).toMatchObject([
      { level: 40, msg: 'database unavailable', event: 'chat:send', code: 'ECONNREFUSED' },
    ]);
  });

  it('answers an expected error with its own code and logs nothing', async () => {
    const { send, lines } = connect(() => false);
    expect(await send(question())).toMatchObject({
      ok: false,
      error: { code: 'ai.not_configured', retryable: false },
    });
    expect(lines).toHaveLength(0);
  });

  it('answers an invalid payload with the first problem and logs nothing', async () => {
    const { send, lines } = connect(throws(new Error('never reached')));
    expect(await send({ clientMessageId: 'not-a-uuid', content: 'hi' })).toEqual({
      ok: false,
      error: {
        code: 'realtime.invalid_payload',
        message: expect.stringMatching(/^clientMessageId: /),
        retryable: false,
      },
    });
    expect(lines).toHaveLength(0);
  });
});
