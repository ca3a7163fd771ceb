import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import {
  handshakeErrors,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@hintbook/contracts';
import type { Db } from '../db/client.js';
import { AppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Config } from '../config/env.js';
import { resolveAuth } from '../modules/auth/resolve-auth.js';
import { assertEmailVerifiedIfRequired } from '../middleware/require-verified-email.js';
import type { AccessTokens } from '../modules/auth/tokens.js';
import type { UserRow } from '../modules/users/users.repository.js';
import type { TurnEmitter } from '../modules/chat/turn.types.js';
import type { TurnReplay } from '../modules/chat/active-turns.js';
import type { TurnReplayRequest, TurnStopRequest } from '../modules/chat/turn-relay.js';
import type { SharedRedis } from '../cluster/redis.js';
import { emitFirstAdapter } from './emit-first-adapter.js';
import {
  createLocalSocketSlots,
  createRedisSocketSlots,
  type SocketSlots,
} from './socket-slots.js';

export interface SocketData {
  user: UserRow;
  sessionId: string;
}

/** Between replicas (through the Redis adapter): reaching a turn that runs elsewhere. */
export interface InterServerEvents {
  'turn:stop': (request: TurnStopRequest) => void;
  'turn:replay': (request: TurnReplayRequest & { requestId: string }) => void;
  'turn:replayed': (reply: { requestId: string; replay: TurnReplay }) => void;
}

export type HintbookServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type HintbookSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface RealtimeDeps {
  db: Db;
  accessTokens: AccessTokens;
  clock: Clock;
  logger: Logger;
  maxConnectionsPerUser: number;
  emailVerification: Config['mail']['verification'];
  /** With several replicas: rooms, broadcasts and socket caps go through Redis. */
  redis?: SharedRedis | undefined;
}

/**
 * With Redis: a client that drops for a moment (a replica draining or dying, Wi-Fi) gets back
 * its socket id, rooms and the events sent meanwhile, on whichever replica it reaches; the
 * handshake's auth check still runs. Longer gaps, or more traffic than the stream keeps, fall
 * back to `chat:resume`. One process keeps today's behaviour (no in-memory packet buffer).
 */
const RECOVERY_WINDOW_MS = 2 * 60_000;
/** Broadcasts the Redis stream keeps for recovery (about 200 bytes each: some 20 MB). */
const STREAM_MAX_LENGTH = 100_000;

export const userRoom = (userId: string) => `user:${userId}`;

/**
 * socket.io on the app's HTTP server. The handshake checks `auth.token` with the same code as
 * HTTP; a refused handshake's `connect_error.message` is a stable code the client acts on
 * (refresh and reconnect on `auth.token_expired`). Each socket joins its user's room, so every
 * tab of a student sees the same turn.
 */
export function createRealtimeServer(
  httpServer: HttpServer,
  deps: RealtimeDeps,
): HintbookServer & { slots: SocketSlots } {
  const options: Partial<ServerOptions> = {
    path: '/socket.io',
    serveClient: false,
    // Same origin only (nginx or the backend serves the SPA); no CORS.
    cors: undefined,
    maxHttpBufferSize: 256 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
  };
  // Redis Streams rather than plain pub/sub: a Redis restart resumes the stream where it was,
  // so no broadcast (a delta, a terminal event) is lost, and recovery sessions live in Redis.
  // Deltas go to this replica's sockets before their XADD, not after it (emit-first-adapter.ts):
  // the library's publish-then-emit put an event-loop turn and a Redis round trip in front of
  // each of the 30 deltas a second of every stream; turn start, meta and terminal events keep it,
  // so they carry their stream offset and arrive in order. (The XADDs themselves keep up thanks
  // to the connection's write high-water mark, cluster/redis.ts.)
  if (deps.redis) {
    const prefix = deps.redis.keyPrefix;
    options.connectionStateRecovery = { maxDisconnectionDuration: RECOVERY_WINDOW_MS };
    options.adapter = emitFirstAdapter(
      createAdapter(deps.redis.client, {
        streamName: `${prefix}:socket.io`,
        channelPrefix: `${prefix}:socket.io`,
        sessionKeyPrefix: `${prefix}:sio:session:`,
        maxLen: STREAM_MAX_LENGTH,
        // Only JSON travels (no binary payloads): skips a msgpack pass per packet.
        onlyPlaintext: true,
      }),
      (packet) => packet.data?.[0] === 'chat:delta',
    );
  }
  const io: HintbookServer = new Server(httpServer, options);
  const slots = deps.redis
    ? createRedisSocketSlots(deps.redis, deps.maxConnectionsPerUser, deps.logger)
    : createLocalSocketSlots(
        deps.maxConnectionsPerUser,
        (userId) => io.of('/').adapter.rooms.get(userRoom(userId))?.size ?? 0,
      );

  io.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const auth = await resolveAuth(
        deps.db,
        deps.accessTokens,
        typeof token === 'string' ? token : undefined,
      );
      assertEmailVerifiedIfRequired(auth.user, deps.emailVerification);
      if (!(await slots.claim(auth.user.id, socket.id))) {
        next(
          handshakeError(
            handshakeErrors.tooManyConnections,
            'Too many open Hintbook tabs; close one and retry',
          ),
        );
        return;
      }
      socket.data.user = auth.user;
      socket.data.sessionId = auth.sessionId;
      next();
    } catch (error) {
      if (error instanceof AppError) next(handshakeError(error.code, error.message));
      else {
        deps.logger.error({ err: error }, 'socket handshake failed');
        next(handshakeError('internal', 'Could not connect; try again'));
      }
    }
  });

  io.on('connection', (socket) => {
    void socket.join(userRoom(socket.data.user.id));
    socket.on('disconnect', () => slots.release(socket.data.user.id, socket.id));
    scheduleExpiry(socket, deps);
  });
  return Object.assign(io, { slots });
}

function handshakeError(code: string, message: string): Error {
  const error = new Error(code) as Error & { data: { message: string } };
  error.data = { message };
  return error;
}

/**
 * Access tokens are short-lived; a socket outlives its token. When the token expires the server
 * says so and disconnects; the client refreshes and reconnects (its draft stays in the page).
 */
function scheduleExpiry(socket: HintbookSocket, deps: RealtimeDeps): void {
  const token = (socket.handshake.auth as { token?: string }).token ?? '';
  const expiresAt = deps.accessTokens.expiresAt(token);
  if (!expiresAt) return;
  const delay = Math.max(0, expiresAt.getTime() - deps.clock().getTime());
  const timer = setTimeout(
    () => {
      socket.emit('auth:expired', {
        code: 'auth.token_expired',
        message: 'Your session needs refreshing',
      });
      socket.disconnect(true);
    },
    Math.min(delay, 2_147_000_000),
  );
  socket.on('disconnect', () => clearTimeout(timer));
}

/** Turn events go to every socket of the user, on this process (and, with an adapter, all). */
export function createTurnEmitter(io: HintbookServer): TurnEmitter {
  return {
    toUser(userId, event, ...args) {
      io.to(userRoom(userId)).emit(event, ...args);
    },
  };
}
