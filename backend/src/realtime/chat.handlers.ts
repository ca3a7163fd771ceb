import type { z } from 'zod';
import {
  chatResumePayloadSchema,
  chatRetryPayloadSchema,
  chatSendPayloadSchema,
  chatStopPayloadSchema,
  type RealtimeError,
} from '@hintbook/contracts';
import { toRealtimeError } from '../modules/chat/chat.errors.js';
import {
  resumeTurn,
  retryLastQuestion,
  sendQuestion,
  stopTurn,
} from '../modules/chat/turn.service.js';
import type { TurnDeps } from '../modules/chat/turn.types.js';
import type { HintbookServer, HintbookSocket } from './io.js';

type Ack<T> = (result: T | { ok: false; error: RealtimeError }) => void;

/**
 * Validates a payload once, runs the handler, and always acks exactly once, with the result or
 * a stable error. A client that sends no ack callback gets nothing back, and nothing crashes.
 */
function handle<Schema extends z.ZodType, Result>(
  schema: Schema,
  run: (payload: z.output<Schema>) => Promise<Result> | Result,
) {
  return async (payload: unknown, ack?: unknown) => {
    const reply: Ack<Result> = typeof ack === 'function' ? (ack as Ack<Result>) : () => {};
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      reply({
        ok: false,
        error: {
          code: 'realtime.invalid_payload',
          message: first
            ? `${first.path.join('.') || 'payload'}: ${first.message}`
            : 'Invalid payload',
          retryable: false,
        },
      });
      return;
    }
    try {
      reply(await run(parsed.data));
    } catch (error) {
      reply({ ok: false, error: toRealtimeError(error) });
    }
  };
}

export function registerChatHandlers(
  io: HintbookServer,
  deps: TurnDeps,
  options: { isDraining?: () => boolean } = {},
): void {
  io.on('connection', (socket: HintbookSocket) => {
    const user = () => socket.data.user;
    // A replica shutting down starts no turn: it drops the connection unanswered, and the
    // client reconnects (to another replica) and resends with the same client message id.
    const refuseWhileDraining =
      <Args extends unknown[]>(handler: (...args: Args) => Promise<void>) =>
      async (...args: Args) => {
        if (options.isDraining?.()) socket.conn.close();
        else await handler(...args);
      };

    socket.on(
      'chat:send',
      refuseWhileDraining(
        handle(chatSendPayloadSchema, async (payload) => ({
          ok: true as const,
          ...(await sendQuestion(deps, user(), payload)),
        })),
      ),
    );
    socket.on(
      'chat:retry',
      refuseWhileDraining(
        handle(chatRetryPayloadSchema, async (payload) => ({
          ok: true as const,
          ...(await retryLastQuestion(deps, user(), payload)),
        })),
      ),
    );
    socket.on(
      'chat:stop',
      handle(chatStopPayloadSchema, (payload) => {
        stopTurn(deps, user(), payload);
        return { ok: true as const };
      }),
    );
    socket.on(
      'chat:resume',
      handle(chatResumePayloadSchema, (payload) =>
        resumeTurn(deps, user(), payload, (event, body) => socket.emit(event, body)),
      ),
    );
  });
}
