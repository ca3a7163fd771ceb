import type { z } from 'zod';
import {
  chatResumePayloadSchema,
  chatRetryPayloadSchema,
  chatSendPayloadSchema,
  chatStopPayloadSchema,
  type ClientToServerEvents,
  type RealtimeError,
} from '@hintbook/contracts';
import { AppError } from '../lib/app-error.js';
import { toErrorDetails } from '../lib/error-details.js';
import { describeUnexpectedError } from '../lib/log-detail.js';
import type { Logger } from '../lib/logger.js';
import { toRealtimeError } from '../modules/chat/chat.errors.js';
import {
  resumeTurn,
  retryLastQuestion,
  sendQuestion,
  stopTurn,
} from '../modules/chat/turn.service.js';
import type { TurnDeps } from '../modules/chat/turn.types.js';
import { tracingHooks } from '../modules/observability/tracing-hooks.js';
import type { HintbookServer, HintbookSocket } from './io.js';

type ClientEvent = keyof ClientToServerEvents;
/** What the client sends with `event`, and what its ack callback receives, per the contract. */
type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/**
 * Listens for one client event: validates its payload once, runs the handler, and always acks
 * exactly once, with the result or a stable error. An error nobody expected is logged (one line,
 * bounded) before the client hears the generic one. A client that sends no ack callback gets
 * nothing back, and nothing crashes.
 */
function listen<E extends ClientEvent>(
  socket: HintbookSocket,
  logger: Logger,
  event: E,
  schema: z.ZodType<PayloadOf<E>>,
  run: (payload: PayloadOf<E>) => Promise<AckOf<E>> | AckOf<E>,
  /** True when the event must go unanswered and the connection dropped (a draining replica). */
  drops?: () => boolean,
): void {
  // socket.io cannot type a listener for a generic event name; every listener here takes the
  // raw payload and ack anyway, which fits each event's signature.
  const name: ClientEvent = event;
  socket.on(name, (payload: unknown, ack?: unknown) => {
    if (drops?.()) {
      socket.conn.close();
      return;
    }
    // With tracing on, each event is a trace; a turn it starts ends that trace (turn-metrics.ts).
    void tracingHooks.traceSocketEvent(event, () => handlePayload(payload, ack));
  });
  async function handlePayload(payload: unknown, ack?: unknown) {
    const reply = (result: AckOf<E> | { ok: false; error: RealtimeError }) => {
      if (typeof ack === 'function') ack(result);
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const [first] = toErrorDetails(parsed.error.issues, 1);
      reply({
        ok: false,
        error: {
          code: 'realtime.invalid_payload',
          message: first ? `${first.path || 'payload'}: ${first.message}` : 'Invalid payload',
          retryable: false,
        },
      });
      return;
    }
    try {
      reply(await run(parsed.data));
    } catch (error) {
      const answer = toRealtimeError(error);
      if (!(error instanceof AppError)) {
        const context = { event, socketId: socket.id, userId: socket.data.user.id };
        // An unreachable database is an outage, not a bug: the HTTP side warns about it too.
        if (answer.code === 'database.unavailable')
          logger.warn({ ...context, ...describeUnexpectedError(error) }, 'database unavailable');
        else logger.error({ ...context, ...describeUnexpectedError(error) }, 'socket event failed');
      }
      reply({ ok: false, error: answer });
    }
  }
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
    const drops = () => options.isDraining?.() ?? false;
    const on = <E extends ClientEvent>(
      event: E,
      schema: z.ZodType<PayloadOf<E>>,
      run: (payload: PayloadOf<E>) => Promise<AckOf<E>> | AckOf<E>,
      whileDraining: 'answer' | 'drop' = 'answer',
    ) =>
      listen(socket, deps.logger, event, schema, run, whileDraining === 'drop' ? drops : undefined);

    on(
      'chat:send',
      chatSendPayloadSchema,
      async (payload) => ({ ok: true as const, ...(await sendQuestion(deps, user(), payload)) }),
      'drop',
    );
    on(
      'chat:retry',
      chatRetryPayloadSchema,
      async (payload) => ({
        ok: true as const,
        ...(await retryLastQuestion(deps, user(), payload)),
      }),
      'drop',
    );
    on('chat:stop', chatStopPayloadSchema, (payload) => {
      stopTurn(deps, user(), payload);
      return { ok: true as const };
    });
    on('chat:resume', chatResumePayloadSchema, (payload) =>
      resumeTurn(deps, user(), payload, (event, ...args) => socket.emit(event, ...args)),
    );
  });
}
