import type { ChatErrorEvent } from '@hintbook/contracts';
import { isTransientDbError } from '../../db/errors.js';
import { ANSWER_WRITE_RETRY, retryTransient } from '../../db/retry.js';
import { describeUnexpectedError } from '../../lib/log-detail.js';
import type { ActiveTurn } from './active-turns.js';
import { updateCompletedAnswer, updateMessage, type PedagogySwap } from './messages.repository.js';
import type { SpendLimit } from './spend-meter.js';
import type { RunTurnInput } from './turn.types.js';
import { AnswerFailedError } from './tutor.types.js';
import type { TurnDeps } from './turn.types.js';

/** How a turn ends: stored as it stands, exactly one terminal event. */

type AnswerPatch = Parameters<typeof updateMessage>[2];

/**
 * The answer's last write, the one that matters: tried again while the database is only busy or
 * briefly unreachable (ANSWER_WRITE_RETRY). Throws once it gave up.
 */
function storeEnd(deps: TurnDeps, input: RunTurnInput, patch: AnswerPatch): Promise<void> {
  return retryTransient(() => updateMessage(deps.db, input.answer.id, patch), ANSWER_WRITE_RETRY);
}

/**
 * Stores a completed answer and touches its session, in one statement tried again on transient
 * failures, with the session's hint state when `pedagogy` still applies (updateCompletedAnswer).
 * `stored: false` when it finally failed: the student has then been told (a retryable error that
 * keeps the text they saw), and the turn is over. Nothing after this write may turn the
 * delivered answer into an error; bookkeeping that follows catches its own failures.
 */
export async function storeCompletedAnswer(
  deps: TurnDeps,
  input: RunTurnInput,
  patch: AnswerPatch,
  now: Date,
  pedagogy?: PedagogySwap,
): Promise<{ stored: false } | { stored: true; isPedagogyStored: boolean }> {
  try {
    const isPedagogyStored = await retryTransient(
      () => updateCompletedAnswer(deps.db, input.answer.id, patch, now, pedagogy),
      ANSWER_WRITE_RETRY,
    );
    return { stored: true, isPedagogyStored };
  } catch (error) {
    endUnsaved(deps, input, error);
    return { stored: false };
  }
}

/**
 * The answer's last write failed for good. The student saw the whole answer: they keep it on
 * screen and may retry. The stored row still says `streaming`; its heartbeat stops with the turn,
 * so the orphan sweep ends it as interrupted with the text flushed so far.
 */
function endUnsaved(deps: TurnDeps, input: RunTurnInput, error: unknown) {
  // Never the error itself: a failed query's message carries its parameters (the answer).
  deps.logger.error(
    { ...describeUnexpectedError(error), turnId: input.turn.turnId },
    'could not store the end of a turn',
  );
  failTurn(deps, input, {
    messageId: input.answer.id,
    content: input.turn.content,
    code: 'database.unavailable',
    message:
      'The answer could not be saved because the database is busy or unavailable. What you see ' +
      'stays on screen; press retry in a moment for an answer that is saved.',
    retryable: true,
  });
}

/** The turn reached what it reserved: ends the answer cleanly, the partial text kept. */
export class SpendLimitReached extends Error {
  constructor(readonly limit: SpendLimit) {
    super(`turn reached its ${limit} cap`);
  }
}

/** The module's AI policy switches the tutor off right now; the message says so in plain words. */
export class PolicyRefusal extends Error {}

/** Stopped, interrupted or failed: keep whatever text was shown, and say what happened. */
export async function endWithoutAnswer(
  deps: TurnDeps,
  input: RunTurnInput,
  error: unknown,
): Promise<void> {
  const { turn, session, answer } = input;
  const now = deps.clock();
  const failure = error instanceof AnswerFailedError ? error : undefined;
  const usage = failure?.usage;
  const common = {
    content: turn.content,
    completedAt: now,
    provider: failure?.provider ?? null,
    model: failure?.model ?? null,
    inputTokens: usage?.inputTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
  };
  try {
    if (error instanceof SpendLimitReached) {
      await endAtSpendLimit(deps, input, error.limit, common);
      return;
    }
    if (error instanceof PolicyRefusal) {
      await storeEnd(deps, input, { ...common, status: 'error', errorCode: 'chat.policy_off' });
      failTurn(deps, input, {
        messageId: answer.id,
        content: '',
        code: 'chat.policy_off',
        message: error.message,
        retryable: false,
      });
      return;
    }
    if (turn.abort.signal.aborted) {
      await storeEnd(deps, input, { ...common, status: 'interrupted', errorCode: null });
      finish(deps, turn, {
        name: 'chat:done',
        payload: {
          sessionId: session.id,
          turnId: turn.turnId,
          messageId: answer.id,
          status: 'interrupted',
          content: turn.content,
          usage: { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 },
        },
      });
      return;
    }
    // A read that found no free connection (an overloaded pool) or a database going away is
    // not a bug: the student is told the service is busy, in words, and can retry.
    const busy = !failure && isTransientDbError(error);
    if (!failure)
      deps.logger[busy ? 'warn' : 'error'](
        { ...describeUnexpectedError(error), turnId: turn.turnId },
        busy ? 'turn failed: the database was busy or unavailable' : 'turn failed',
      );
    const shown = turn.content.length > 0;
    const code = failure
      ? shown
        ? 'ai.interrupted'
        : 'ai.provider_unavailable'
      : busy
        ? 'database.unavailable'
        : 'internal';
    await storeEnd(deps, input, {
      ...common,
      status: shown ? 'interrupted' : 'error',
      errorCode: code,
    });
    failTurn(deps, input, {
      messageId: answer.id,
      content: turn.content,
      code,
      message: shown
        ? 'The answer was cut off. What you see is kept; press retry for a full answer.'
        : busy
          ? 'The tutor is very busy and could not read your conversation in time. Your question is saved; press retry in a moment.'
          : 'The tutor could not answer just now. Your question is saved; press retry in a moment.',
      retryable: true,
    });
  } catch (storeError) {
    // Even when the database is unreachable the client must get its terminal event.
    endUnsaved(deps, input, storeError);
  }
}

/** Ends the turn with `chat:error` for its session (the one terminal event). */
function failTurn(
  deps: TurnDeps,
  input: RunTurnInput,
  error: Omit<ChatErrorEvent, 'sessionId' | 'turnId'>,
) {
  finish(deps, input.turn, {
    name: 'chat:error',
    payload: { sessionId: input.session.id, turnId: input.turn.turnId, ...error },
  });
}

/** The reservation ran out: a plain message, the partial answer kept, nothing to retry now. */
async function endAtSpendLimit(
  deps: TurnDeps,
  input: RunTurnInput,
  limit: SpendLimit,
  common: AnswerPatch,
) {
  const { turn, answer } = input;
  const code = limit === 'allowance' ? 'chat.allowance_exhausted' : 'chat.budget_exhausted';
  const binding = input.reservation?.binding;
  const kept = turn.content.length > 0 ? ' What the tutor wrote so far is kept.' : '';
  const message =
    limit === 'allowance'
      ? `You have used your tutor allowance for this ${binding?.window ?? 'day'}.${kept}` +
        (binding ? ` It renews ${binding.resetsAt.toUTCString()}.` : '')
      : `The school’s AI budget ran out during this answer, so the tutor is paused until next month.${kept}`;
  await storeEnd(deps, input, {
    ...common,
    status: turn.content.length > 0 ? 'interrupted' : 'error',
    errorCode: code,
  });
  failTurn(deps, input, {
    messageId: answer.id,
    content: turn.content,
    code,
    message,
    retryable: false,
  });
}

export function finish(
  deps: TurnDeps,
  turn: ActiveTurn,
  terminal: Parameters<TurnDeps['activeTurns']['finish']>[1],
) {
  deps.activeTurns.finish(turn, terminal);
  if (terminal.name === 'chat:done')
    deps.emitter.toUser(turn.userId, 'chat:done', terminal.payload);
  else deps.emitter.toUser(turn.userId, 'chat:error', terminal.payload);
}
