import { hintCue, type Classification, type GuardTrip } from '../../ai/pedagogy/index.js';
import type { RedactionVault } from '../../ai/privacy/redaction.js';
import { BOOKKEEPING_RETRY, retryTransient } from '../../db/retry.js';
import { describeUnexpectedError } from '../../lib/log-detail.js';
import { estimateTokens } from '../../ai/pedagogy/token-estimate.js';
import { estimateRequestTokens } from '../../ai/usage-estimate.js';
import { recordRedactionCounts } from '../privacy/redactions.service.js';
import { settleReservation } from '../usage/quota.service.js';
import { buildAnswerContext } from './context.js';
import { updateMessage } from './messages.repository.js';
import { startPromptReads } from './prompt-reads.js';
import {
  classificationRequestFor,
  commitCompletedTurn,
  learnFromClassification,
  pedagogySwapFor,
  planHintLevels,
  type PlannedTurn,
} from './pedagogy.service.js';
import { insertGuardTrip } from './guard-trips.repository.js';
import { createTurnVault, redactNotebookContext, withRedaction } from './private-tutor.js';
import { streamGuardedAnswer } from './guarded-answer.js';
import { createSpendMeter, type SpendMeter } from './spend-meter.js';
import { awaitCommitted, endUnstored, settleCommit, type HeldTurn } from './turn-commit.js';
import type { TurnReservation } from '../usage/quota.service.js';
import { summarizeAfterTurn } from './summary.js';
import { AnswerFailedError } from './tutor.types.js';
import {
  endWithoutAnswer,
  finish,
  SpendLimitReached,
  storeCompletedAnswer,
} from './turn-endings.js';
import type { RunTurnInput, TurnDeps } from './turn.types.js';

/** The classification's longest answer (see tutor.ts). */
const CLASSIFICATION_OUTPUT_TOKENS = 400;

/**
 * One answer, start to finish: hint levels → context → stream → store. Emits `chat:turn`,
 * `chat:meta`, ordered `chat:delta`s and exactly one terminal event, whatever fails.
 *
 * No model call comes before the first token: the level is planned from stored state and local
 * evidence, and the classification runs beside the answer. The pedagogy state moves only once
 * the answer completed, then the classification (if it came) is folded in for the next turn.
 */
export async function runTurn(turnDeps: TurnDeps, input: RunTurnInput): Promise<void> {
  const { user } = input;
  const vault = input.vault ?? createTurnVault(turnDeps, user);
  const isRedacting = turnDeps.privacy.redactionKinds.size > 0;
  const deps = isRedacting
    ? { ...turnDeps, tutor: withRedaction(turnDeps.tutor, vault) }
    : turnDeps;
  const meter = createSpendMeter(input.reservation, (usage) => deps.spending?.costOf(usage) ?? 0);
  // Filled once the hold and the store committed, for a turn that started beside them.
  const held: HeldTurn = { reservation: input.reservation, isStored: !input.committed };
  try {
    const completed = await answerTurn(deps, input, meter, held, isRedacting ? vault : null);
    // After chat:done: fold old messages for the next turn, within what this turn reserved.
    if (completed)
      await summarizeAfterTurn(deps, {
        userId: input.user.id,
        sessionId: input.session.id,
        signal: input.turn.abort.signal,
        canAfford: (usage) => meter.wouldExceed(usage) === null,
      });
  } finally {
    // Counted whatever the outcome: the redacted text left either way.
    if (isRedacting) await storeRedactionCounts(deps, input, vault, held.isStored);
    await settle(deps, input, held.reservation);
  }
}

/**
 * The turn's calls are stored before its hold goes, so no other turn sees the gap. Runs after
 * the terminal event: nobody waits, so both are tried again for a while on transient failures.
 * A call whose row could not be stored keeps the hold in place (it covers at least what the turn
 * used) until the hold expires on its own (RESERVATION_TTL_MS); so does a failed settlement.
 * Either way the allowance comes back then, never later.
 */
async function settle(deps: TurnDeps, input: RunTurnInput, reservation?: TurnReservation) {
  if (!reservation?.id) return;
  const isUsageStored = (await deps.spending?.flushUsage()) ?? true;
  if (!isUsageStored) {
    deps.logger.warn(
      { turnId: input.turn.turnId },
      'usage not stored; the turn keeps its hold until it expires',
    );
    return;
  }
  try {
    await retryTransient(() => settleReservation(deps, reservation), BOOKKEEPING_RETRY);
  } catch (error) {
    deps.logger.warn(
      { ...describeUnexpectedError(error), turnId: input.turn.turnId },
      'could not settle a reservation; it expires on its own',
    );
  }
}

/**
 * The answer itself; resolves true when it completed (`chat:done` with status complete). `deps`
 * already redacts every provider call when `vault` is given.
 */
async function answerTurn(
  deps: TurnDeps,
  input: RunTurnInput,
  meter: SpendMeter,
  held: HeldTurn,
  vault: RedactionVault | null,
): Promise<boolean> {
  const { turn, user, session, question, answer } = input;
  const emit = deps.emitter;
  const redact = (text: string) => (vault ? vault.redact(text) : text);
  // What leaves for a provider; planning and evidence keep working on the real text.
  const outbound = vault
    ? {
        question: { ...question, content: redact(question.content) },
        notebookContext: redactNotebookContext(input.notebookContext, redact),
      }
    : { question, notebookContext: input.notebookContext };
  let isAnnounced = false;
  const announce = () => {
    isAnnounced = true;
    emit.toUser(user.id, 'chat:turn', {
      sessionId: session.id,
      turnId: turn.turnId,
      clientMessageId: question.clientMessageId ?? '',
      userMessageId: question.id,
      assistantMessageId: answer.id,
      ...(input.isNewSession ? { sessionTitle: session.title } : {}),
    });
  };
  // A turn started beside its store says nothing before the question is stored.
  if (!input.committed) announce();
  // Its own rows may be stored already when its reads run: they are not history.
  const isOwnRow = (row: { id: string }) => row.id === question.id || row.id === answer.id;
  // A new conversation started beside its store: the calls' rows wait for it (usage.service.ts).
  const sessionStored =
    input.committed && input.isNewSession
      ? input.committed.stored.then((outcome) => outcome.ok && 'answer' in outcome.rows)
      : undefined;
  const owner = { userId: user.id, sessionId: session.id, messageId: answer.id, sessionStored };
  // Ends with a stop, or with an answer that did not complete: that verdict would be dropped.
  const classification = new AbortController();
  const stopClassification = () => classification.abort();
  turn.abort.signal.addEventListener('abort', stopClassification, { once: true });

  try {
    // Every read before the first token goes side by side; the plan itself reads nothing. A
    // follow-up's reads were started beside the send's own checks (turn.service.ts).
    const reads =
      input.reads ??
      startPromptReads(deps, {
        user,
        sessionId: session.id,
        session,
        question: { seq: question.seq, notebookContext: input.notebookContext },
        isNewSession: input.isNewSession,
        outbound: {
          content: outbound.question.content,
          notebookContext: outbound.notebookContext,
        },
        now: deps.clock(),
      });
    const stopReads = () => reads.stop();
    turn.abort.signal.addEventListener('abort', stopReads, { once: true });
    if (turn.abort.signal.aborted) reads.stop();
    const {
      rules,
      pedagogy,
      recent,
      history: storedHistory,
      summary,
      material,
    } = await reads.inputs.finally(() => turn.abort.signal.removeEventListener('abort', stopReads));
    const history = recent.filter((row) => !isOwnRow(row));
    const answerHistory = storedHistory.filter((row) => !isOwnRow(row));
    const planned = planHintLevels(pedagogy, {
      session,
      question,
      notebookContext: input.notebookContext,
      kind: input.kind,
      rules,
    });
    // The verdict is for the next turn. Charged before the answer, unless the turn cannot afford
    // it (it is optional: the level then holds); its call goes out after the answer's (below).
    const classificationRequest = classificationRequestFor(
      session,
      outbound.question,
      history
        .filter((row) => row.content.trim() !== '')
        .slice(-6)
        .map((row) => ({ ...row, content: redact(row.content) })),
      outbound.notebookContext,
    );
    const classificationCost = {
      inputTokens: estimateRequestTokens(classificationRequest),
      outputTokens: CLASSIFICATION_OUTPUT_TOKENS,
    };
    const canClassify = meter.wouldExceed(classificationCost) === null;
    if (input.reservation?.id || input.committed) meter.charge(classificationCost);
    const { hintLevels, reason } = planned.plan;
    const cue = hintCue(hintLevels, reason);
    const request = buildAnswerContext(deps, {
      session: { ...session, summary },
      history: answerHistory,
      question: outbound.question,
      hintLevels,
      reason,
      effectiveLevels: planned.effectiveLevels,
      notebookContext: outbound.notebookContext,
      courseMaterial: material.text,
    });
    // Nothing is sent when the question alone would pass what the turn holds.
    const inputCost = { inputTokens: estimateRequestTokens(request), outputTokens: 0 };
    const overAtStart = meter.charge(inputCost);
    if (overAtStart) throw new SpendLimitReached(overAtStart);
    const events = streamGuardedAnswer(deps.tutor, {
      request: { system: request.system, messages: request.messages },
      guardRetrySystem: request.guardRetrySystem,
      owner,
      signal: turn.abort.signal,
      programmingLevel: hintLevels.programming,
      referenceSolution: input.referenceSolution ?? rules.exercise?.referenceSolution ?? undefined,
    })[Symbol.asyncIterator]();
    // The call goes out now; its first event waits below while the store and hold commit.
    let next = events.next();
    next.catch(() => undefined);
    // The SDK builds the answer's request over a few microtasks; what else the turn sends waits
    // one macrotask more, so that request goes out first: the store and the hold (begun here),
    // then the classification (not awaited; asked first, its request delayed the answer's).
    const answerSent = new Promise<void>((resolve) => setImmediate(resolve));
    if (input.committed) void answerSent.then(input.committed.begin);
    const classified = canClassify
      ? answerSent
          .then(() =>
            deps.tutor.classify(
              classificationRequest,
              { ...owner, messageId: question.id },
              classification.signal,
            ),
          )
          .catch(() => null)
      : Promise.resolve(null);
    if (input.committed) {
      const over = await awaitCommitted(input.committed, held, meter, async () => {
        turn.abort.abort();
        // Aborted, the call ends and the resilience layer records what it used.
        await next.catch(() => undefined);
      });
      if (over) throw new SpendLimitReached(over);
      announce();
    }
    emit.toUser(user.id, 'chat:meta', {
      sessionId: session.id,
      turnId: turn.turnId,
      hintCue: cue,
      sources: material.sources,
    });
    // Not waited for before the first delta; the answer's own last write waits for it.
    const levelsStored = updateMessage(deps.db, answer.id, {
      hintLevelProgramming: hintLevels.programming,
      hintLevelMaths: hintLevels.maths,
      hintCue: cue,
      sources: material.sources,
    });
    levelsStored.catch(() => undefined);
    for (;;) {
      const step = await next;
      if (step.done) break;
      next = events.next();
      next.catch(() => undefined);
      const event = step.value;
      if (event.type === 'delta') {
        const over = meter.charge({ inputTokens: 0, outputTokens: estimateTokens(event.text) });
        if (over) {
          turn.abort.abort();
          throw new SpendLimitReached(over);
        }
        if (event.replace) turn.content = '';
        const delta = {
          sessionId: session.id,
          turnId: turn.turnId,
          seq: turn.deltas.length + 1,
          text: event.text,
          ...(event.replace ? { replace: true } : {}),
        };
        turn.deltas.push(delta);
        turn.content += event.text;
        emit.toUser(user.id, 'chat:delta', delta);
        continue;
      }
      if (event.type === 'trip') {
        await storeTrip(deps, input, { ...event, hintLevel: hintLevels.programming });
        continue;
      }
      const now = deps.clock();
      // The levels' own write may have failed or still wait for a connection: the last write
      // carries them again, so it alone decides whether the answer is stored.
      await levelsStored.catch(() => undefined);
      const end = await storeCompletedAnswer(
        deps,
        input,
        {
          content: turn.content,
          status: 'complete',
          provider: event.provider,
          model: event.model,
          inputTokens: event.usage.inputTokens,
          outputTokens: event.usage.outputTokens,
          costUsd: event.costUsd,
          completedAt: now,
          hintLevelProgramming: hintLevels.programming,
          hintLevelMaths: hintLevels.maths,
          hintCue: cue,
          sources: material.sources,
        },
        now,
        pedagogySwapFor(planned, answer.id),
      );
      if (!end.stored) {
        // Told already (a retryable error keeping the text); the level does not move.
        classification.abort();
        return false;
      }
      // From here on nothing throws: the answer is stored, whatever bookkeeping fails. The level
      // moved with it unless another write changed the session's state since the turn read it.
      if (!end.isPedagogyStored) await commitPedagogy(deps, input, planned);
      finish(deps, turn, {
        name: 'chat:done',
        payload: {
          sessionId: session.id,
          turnId: turn.turnId,
          messageId: answer.id,
          status: 'complete',
          content: turn.content,
          usage: event.usage,
        },
      });
      await learnAfterAnswer(deps, input, classified);
      return true;
    }
    throw new AnswerFailedError(turn.content.length > 0, undefined, undefined, undefined);
  } catch (error) {
    classification.abort();
    // Ended before its request went out (the reads failed, the rules refused, a stop): the send
    // still stores its question, and its ack waits for that.
    input.committed?.begin();
    let ending = error;
    if (input.committed && !isAnnounced) {
      // Ended before the client heard of the turn (the rules refused, the store or hold did not
      // commit): nothing is written or said until the store is known, and then only if it was.
      const commit = await settleCommit(input.committed, held);
      if (commit === 'not-stored') {
        endUnstored(deps, input);
        return false;
      }
      if (commit !== 'committed') ending = commit;
      await new Promise((resolve) => setImmediate(resolve));
      announce();
    }
    await endWithoutAnswer(deps, input, ending);
    return false;
  } finally {
    turn.abort.signal.removeEventListener('abort', stopClassification);
  }
}

/** Admins see how much was withheld, per kind; never the values. Losing the row costs nothing. */
async function storeRedactionCounts(
  deps: TurnDeps,
  input: RunTurnInput,
  vault: RedactionVault,
  isStored: boolean,
) {
  const counts = vault.counts();
  if (counts.name + counts.email + counts.phone + counts.secret === 0) return;
  try {
    await recordRedactionCounts(deps.db, {
      userId: input.user.id,
      // A new conversation whose store failed has no row to name.
      sessionId: isStored || !input.isNewSession ? input.session.id : null,
      messageId: input.answer.id,
      names: counts.name,
      emails: counts.email,
      phones: counts.phone,
      secrets: counts.secret,
      createdAt: deps.clock(),
    });
  } catch (error) {
    deps.logger.error(
      { ...describeUnexpectedError(error), turnId: input.turn.turnId },
      'could not store redaction counts',
    );
  }
}

/** Before `chat:done`, so the next question sees it. A failed write holds the level: logged only. */
async function commitPedagogy(deps: TurnDeps, input: RunTurnInput, planned: PlannedTurn) {
  try {
    await commitCompletedTurn(deps, input.session.id, input.answer.id, planned);
  } catch (error) {
    deps.logger.error(
      { ...describeUnexpectedError(error), turnId: input.turn.turnId },
      'could not store hint state',
    );
  }
}

/** After `chat:done`: the student already has the answer; this only informs the next turn. */
async function learnAfterAnswer(
  deps: TurnDeps,
  input: RunTurnInput,
  classified: Promise<Classification | null>,
) {
  try {
    await learnFromClassification(
      deps,
      { user: input.user, sessionId: input.session.id, answerId: input.answer.id },
      await classified,
    );
  } catch (error) {
    deps.logger.warn(
      { ...describeUnexpectedError(error), turnId: input.turn.turnId },
      'could not store classification',
    );
  }
}

/** A guard trip is counted for admins; losing the row must not cost the student their answer. */
async function storeTrip(
  deps: TurnDeps,
  input: RunTurnInput,
  event: { trip: GuardTrip; attempt: number; hintLevel: number },
) {
  try {
    await insertGuardTrip(deps.db, {
      userId: input.user.id,
      sessionId: input.session.id,
      messageId: input.answer.id,
      hintLevel: event.hintLevel,
      reason: event.trip.reason,
      attempt: event.attempt,
      codeLines: event.trip.codeLines,
      overlap: event.trip.overlap,
      createdAt: deps.clock(),
    });
  } catch (error) {
    deps.logger.error({ err: error, turnId: input.turn.turnId }, 'could not store a guard trip');
  }
  deps.logger.info(
    { turnId: input.turn.turnId, reason: event.trip.reason, attempt: event.attempt },
    'answer guard tripped',
  );
}
