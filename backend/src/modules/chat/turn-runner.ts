import type { NotebookContext } from '@hintbook/contracts';
import {
  hintCue,
  type Classification,
  type GuardTrip,
  type TurnKind,
} from '../../ai/pedagogy/index.js';
import { estimateTokens } from '../../ai/pedagogy/token-estimate.js';
import { estimateRequestTokens } from '../../ai/usage-estimate.js';
import type { UserRow } from '../users/users.repository.js';
import { settleReservation, type TurnReservation } from '../usage/quota.service.js';
import type { ActiveTurn } from './active-turns.js';
import { buildAnswerContext } from './context.js';
import { findCourseMaterial } from './course-material.js';
import {
  listRecentVisibleMessages,
  updateMessage,
  type MessageRow,
} from './messages.repository.js';
import {
  classificationRequestFor,
  commitCompletedTurn,
  learnFromClassification,
  planHintLevels,
  type PlannedTurn,
} from './pedagogy.service.js';
import { insertGuardTrip } from './guard-trips.repository.js';
import { streamGuardedAnswer } from './guarded-answer.js';
import { touchSession, type SessionRow } from './sessions.repository.js';
import { createSpendMeter, type SpendMeter } from './spend-meter.js';
import { summarizeAfterTurn } from './summary.js';
import { AnswerFailedError } from './tutor.types.js';
import { endWithoutAnswer, finish, SpendLimitReached } from './turn-endings.js';
import type { TurnDeps } from './turn.types.js';

export interface RunTurnInput {
  turn: ActiveTurn;
  user: UserRow;
  session: SessionRow;
  question: MessageRow;
  answer: MessageRow;
  notebookContext?: NotebookContext | undefined;
  /** A retry or an edit-and-resend is never evidence of a new attempt. */
  kind: TurnKind;
  isNewSession: boolean;
  /**
   * The reference solution of the exercise the question is about, for the answer guard's
   * overlap check. Nothing sets it until exercises exist; the guard then checks code lines only.
   */
  referenceSolution?: string | undefined;
  /** What the turn may spend (reserved at its start); settled when it ends. */
  reservation?: TurnReservation | undefined;
}

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
export async function runTurn(deps: TurnDeps, input: RunTurnInput): Promise<void> {
  const meter = createSpendMeter(input.reservation, (usage) => deps.spending?.costOf(usage) ?? 0);
  try {
    const completed = await answerTurn(deps, input, meter);
    // After chat:done: fold old messages for the next turn, within what this turn reserved.
    if (completed)
      await summarizeAfterTurn(deps, {
        userId: input.user.id,
        sessionId: input.session.id,
        signal: input.turn.abort.signal,
        canAfford: (usage) => meter.wouldExceed(usage) === null,
      });
  } finally {
    await settle(deps, input);
  }
}

/** The turn's calls are stored before its hold goes, so no other turn sees the gap. */
async function settle(deps: TurnDeps, input: RunTurnInput) {
  if (!input.reservation?.id) return;
  try {
    await deps.spending?.flushUsage();
    await settleReservation(deps, input.reservation);
  } catch (error) {
    deps.logger.warn({ err: error, turnId: input.turn.turnId }, 'could not settle a reservation');
  }
}

/** The answer itself; resolves true when it completed (`chat:done` with status complete). */
async function answerTurn(
  deps: TurnDeps,
  input: RunTurnInput,
  meter: SpendMeter,
): Promise<boolean> {
  const { turn, user, session, question, answer } = input;
  const emit = deps.emitter;
  emit.toUser(user.id, 'chat:turn', {
    sessionId: session.id,
    turnId: turn.turnId,
    clientMessageId: question.clientMessageId ?? '',
    userMessageId: question.id,
    assistantMessageId: answer.id,
    ...(input.isNewSession ? { sessionTitle: session.title } : {}),
  });
  // Ends with a stop, or with an answer that did not complete: that verdict would be dropped.
  const classification = new AbortController();
  const stopClassification = () => classification.abort();
  turn.abort.signal.addEventListener('abort', stopClassification, { once: true });

  try {
    // Independent of each other, and all before the first token: run them side by side.
    const [planned, history, material] = await Promise.all([
      planHintLevels(deps, {
        user,
        session,
        question,
        notebookContext: input.notebookContext,
        kind: input.kind,
      }),
      listRecentVisibleMessages(deps.db, session.id, question.seq, 8),
      findCourseMaterial(deps, {
        userId: user.id,
        session,
        question: question.content,
        notebookContext: input.notebookContext,
        signal: turn.abort.signal,
      }),
    ]);
    // Not awaited: the verdict is for the next turn. Started before the answer's own call,
    // unless the turn cannot afford it (it is optional: the level then holds).
    const classificationRequest = classificationRequestFor(
      session,
      question,
      history.filter((row) => row.content.trim() !== '').slice(-6),
      input.notebookContext,
    );
    const classificationCost = {
      inputTokens: estimateRequestTokens(classificationRequest),
      outputTokens: CLASSIFICATION_OUTPUT_TOKENS,
    };
    const classified =
      meter.wouldExceed(classificationCost) === null
        ? deps.tutor
            .classify(
              classificationRequest,
              { userId: user.id, sessionId: session.id, messageId: question.id },
              classification.signal,
            )
            .catch(() => null)
        : Promise.resolve(null);
    if (input.reservation?.id) meter.charge(classificationCost);
    const { hintLevels, reason } = planned.plan;
    const cue = hintCue(hintLevels, reason);
    emit.toUser(user.id, 'chat:meta', {
      sessionId: session.id,
      turnId: turn.turnId,
      hintCue: cue,
      sources: material.sources,
    });
    const [request] = await Promise.all([
      buildAnswerContext(deps, {
        session,
        question,
        hintLevels,
        reason,
        effectiveLevels: planned.effectiveLevels,
        notebookContext: input.notebookContext,
        courseMaterial: material.text,
      }),
      updateMessage(deps.db, answer.id, {
        hintLevelProgramming: hintLevels.programming,
        hintLevelMaths: hintLevels.maths,
        hintCue: cue,
        sources: material.sources,
      }),
    ]);
    const owner = { userId: user.id, sessionId: session.id, messageId: answer.id };
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
      referenceSolution: input.referenceSolution,
    });
    for await (const event of events) {
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
      await updateMessage(deps.db, answer.id, {
        content: turn.content,
        status: 'complete',
        provider: event.provider,
        model: event.model,
        inputTokens: event.usage.inputTokens,
        outputTokens: event.usage.outputTokens,
        costUsd: event.costUsd,
        completedAt: now,
      });
      await touchSession(deps.db, session.id, now);
      await commitPedagogy(deps, input, planned);
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
    await endWithoutAnswer(deps, input, error);
    return false;
  } finally {
    turn.abort.signal.removeEventListener('abort', stopClassification);
  }
}

/** Before `chat:done`, so the next question sees it. A failed write holds the level: logged only. */
async function commitPedagogy(deps: TurnDeps, input: RunTurnInput, planned: PlannedTurn) {
  try {
    await commitCompletedTurn(deps, input.session.id, input.answer.id, planned);
  } catch (error) {
    deps.logger.error({ err: error, turnId: input.turn.turnId }, 'could not store hint state');
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
    deps.logger.warn({ err: error, turnId: input.turn.turnId }, 'could not store classification');
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
