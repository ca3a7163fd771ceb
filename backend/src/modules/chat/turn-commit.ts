import { AppError } from '../../lib/app-error.js';
import type { TurnReservation } from '../usage/quota.service.js';
import type { MessageRow } from './messages.repository.js';
import type { SessionRow } from './sessions.repository.js';
import type { SpendLimit, SpendMeter } from './spend-meter.js';
import { SpendLimitReached } from './turn-endings.js';
import type { RunTurnInput, TurnCommit, TurnDeps, TurnStarted } from './turn.types.js';

/**
 * A turn whose answer call started before its question was stored and its hold taken
 * (turn.service.ts): how the two commits are joined, and what the runner does with the outcome.
 */

type StoredTurn = { session: SessionRow; question: MessageRow; answer: MessageRow };

/**
 * The store and the hold of a turn whose answer call starts first. Both wait for `begin`: they
 * have the provider's whole wait before its first token to commit in, and started beside the
 * prompt's reads they delayed them (their statements and results on the same event loop, before
 * the answer call; bench/README.md). `stored` settles the send's ack (a failed store is the
 * send's error, as on the sequential path; a lost race ends as a duplicate); `both` tells the
 * turn whether it may show its answer. A store that succeeded while the hold was refused stays
 * (the question was asked) and the turn ends at its limit.
 */
export function commitBeside(
  hold: () => Promise<TurnReservation>,
  store: () => Promise<StoredTurn | TurnStarted | undefined>,
): TurnCommit {
  let begin = () => {};
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const holding = begun.then(hold);
  const storing = begun.then(store);
  const stored = storing.then(
    (rows) =>
      rows
        ? ({ ok: true, rows } as const)
        : ({
            ok: false,
            error: new Error('a send that lost a race left no stored message'),
          } as const),
    (error: unknown) => ({ ok: false, error }) as const,
  );
  const both = Promise.allSettled([holding, stored]).then(([hold, store]) => {
    const isStored = store.status === 'fulfilled' && store.value.ok && 'answer' in store.value.rows;
    if (hold.status === 'rejected') {
      return isStored
        ? ({ state: 'refused', refusal: hold.reason } as const)
        : ({ state: 'not-stored' } as const);
    }
    // The turn settles this hold once its aborted call's usage is stored.
    if (!isStored) return { state: 'not-stored', reservation: hold.value } as const;
    return { state: 'committed', reservation: hold.value } as const;
  });
  return { stored, both, begin };
}

/** What a turn that started beside its store and hold learns once they committed. */
export interface HeldTurn {
  reservation: TurnReservation | undefined;
  isStored: boolean;
}

/**
 * Waits for the store and hold of a turn that started beside them. Returns the limit the hold
 * leaves no room for (the turn ends there, its calls stopped); throws `NotStored`, or a
 * `SpendLimitReached` for a refused hold, after `stopCalls` ran. Resolves once the client has had
 * the send's ack.
 */
export async function awaitCommitted(
  committed: NonNullable<RunTurnInput['committed']>,
  held: HeldTurn,
  meter: SpendMeter,
  stopCalls: () => Promise<void>,
): Promise<SpendLimit | null> {
  const ending = await settleCommit(committed, held);
  if (ending === 'not-stored' || ending instanceof SpendLimitReached) {
    await stopCalls();
    throw ending === 'not-stored' ? new NotStored() : ending;
  }
  const over = held.reservation ? meter.holdTo(held.reservation) : null;
  if (over) await stopCalls();
  // The ack goes out once the store is known; `chat:turn` must follow it, as on the other path.
  await new Promise((resolve) => setImmediate(resolve));
  return over;
}

/** The store failed after the call started; the send's ack carries the error. */
class NotStored extends Error {}

/** What the commit of a turn started beside it means for the turn; sets `held`. */
export async function settleCommit(
  committed: NonNullable<RunTurnInput['committed']>,
  held: HeldTurn,
): Promise<'committed' | 'not-stored' | SpendLimitReached> {
  const outcome = await committed.both;
  // A hold given while the store failed goes back once the aborted call's usage is stored.
  if (outcome.state === 'not-stored') {
    held.reservation = outcome.reservation;
    return 'not-stored';
  }
  held.isStored = true;
  if (outcome.state === 'committed') {
    held.reservation = outcome.reservation;
    return 'committed';
  }
  // Turns elsewhere took what was left between the look and the hold.
  const code = outcome.refusal instanceof AppError ? outcome.refusal.code : '';
  return new SpendLimitReached(code === 'chat.budget_exhausted' ? 'budget' : 'allowance');
}

/** Nothing was stored, so nothing is written and the client hears only the ack's error. */
export function endUnstored(deps: TurnDeps, input: RunTurnInput) {
  deps.activeTurns.finish(input.turn, {
    name: 'chat:error',
    payload: {
      sessionId: input.session.id,
      turnId: input.turn.turnId,
      messageId: null,
      content: '',
      code: 'internal',
      message: 'The question could not be stored.',
      retryable: true,
    },
  });
}
