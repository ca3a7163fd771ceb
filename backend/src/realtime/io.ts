import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
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

export interface SocketData {
  user: UserRow;
  sessionId: string;
}

export type HintbookServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type HintbookSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export interface RealtimeDeps {
  db: Db;
  accessTokens: AccessTokens;
  clock: Clock;
  logger: Logger;
  maxConnectionsPerUser: number;
  emailVerification: Config['mail']['verification'];
}

export const userRoom = (userId: string) => `user:${userId}`;

/**
 * socket.io on the app's HTTP server. The handshake checks `auth.token` with the same code as
 * HTTP; a refused handshake's `connect_error.message` is a stable code the client acts on
 * (refresh and reconnect on `auth.token_expired`). Each socket joins its user's room, so every
 * tab of a student sees the same turn.
 */
export function createRealtimeServer(httpServer: HttpServer, deps: RealtimeDeps): HintbookServer {
  const io: HintbookServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    // Same origin only (nginx or the backend serves the SPA); no CORS.
    cors: undefined,
    maxHttpBufferSize: 256 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
  });

  io.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const auth = await resolveAuth(
        deps.db,
        deps.accessTokens,
        typeof token === 'string' ? token : undefined,
      );
      assertEmailVerifiedIfRequired(auth.user, deps.emailVerification);
      const connected = io.of('/').adapter.rooms.get(userRoom(auth.user.id))?.size ?? 0;
      if (connected >= deps.maxConnectionsPerUser) {
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
    scheduleExpiry(socket, deps);
  });
  return io;
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
