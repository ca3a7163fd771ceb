import type { NotebookContext } from '@hintbook/contracts';
import {
  hintCue,
  type Classification,
  type GuardTrip,
  type TurnKind,
} from '../../ai/pedagogy/index.js';
import { createRedactionVault, type RedactionVault } from '../../ai/privacy/redaction.js';
import type { UserRow } from '../users/users.repository.js';
import { insertRedactionCounts } from '../privacy/redactions.repository.js';
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
import { redactNotebookContext, withRedaction } from './private-tutor.js';
import { streamGuardedAnswer } from './guarded-answer.js';
import { touchSession, type SessionRow } from './sessions.repository.js';
import { AnswerFailedError } from './tutor.types.js';
import type { TurnDeps } from './turn.types.js';
import { resolveTurnRules } from '../exercises/turn-rules.js';

/** The module's AI policy switches the tutor off right now; the message says so in plain words. */
class PolicyRefusal extends Error {}

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
   * The reference solution for the answer guard's overlap check, when the caller knows it.
   * Otherwise the exercise at the workspace's active cell gives it (exercises/turn-rules.ts).
   */
  referenceSolution?: string | undefined;
}

/**
 * One answer, start to finish: hint levels → context → stream → store. Emits `chat:turn`,
 * `chat:meta`, ordered `chat:delta`s and exactly one terminal event, whatever fails.
 *
 * No model call comes before the first token: the level is planned from stored state and local
 * evidence, and the classification runs beside the answer. The pedagogy state moves only once
 * the answer completed, then the classification (if it came) is folded in for the next turn.
 */
export async function runTurn(turnDeps: TurnDeps, input: RunTurnInput): Promise<void> {
  const { turn, user, session, question, answer } = input;
  const emit = turnDeps.emitter;
  // One vault for every call of this turn, so a value has one placeholder in all of them.
  const vault = createRedactionVault({
    kinds: turnDeps.privacy.redactionKinds,
    identity: { names: [user.username], email: user.email },
  });
  const isRedacting = turnDeps.privacy.redactionKinds.size > 0;
  const deps = isRedacting
    ? { ...turnDeps, tutor: withRedaction(turnDeps.tutor, vault) }
    : turnDeps;
  // What leaves for a provider; planning and evidence keep working on the real text.
  const outbound = isRedacting
    ? {
        question: { ...question, content: vault.redact(question.content) },
        notebookContext: redactNotebookContext(input.notebookContext, vault.redact),
      }
    : { question, notebookContext: input.notebookContext };
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
    const rules = await resolveTurnRules(deps.db, {
      userId: user.id,
      session,
      questionSeq: question.seq,
      notebookContext: input.notebookContext,
      now: deps.clock(),
    });
    // Enforced here, for every turn (chat, workspace, retry): the tutor is off, so no model call.
    if (rules.policy?.mode === 'off') throw new PolicyRefusal(rules.policy.text);
    // Independent of each other, and all before the first token: run them side by side.
    const [planned, history, material] = await Promise.all([
      planHintLevels(deps, {
        user,
        session,
        question,
        notebookContext: input.notebookContext,
        kind: input.kind,
        rules,
      }),
      listRecentVisibleMessages(deps.db, session.id, question.seq, 8),
      // The query is embedded by a vendor when vectors are on: it goes out redacted too.
      findCourseMaterial(deps, {
        userId: user.id,
        session,
        question: outbound.question.content,
        notebookContext: outbound.notebookContext,
        signal: turn.abort.signal,
      }),
    ]);
    // Not awaited: the verdict is for the next turn. Started before the answer's own call.
    const classified = deps.tutor
      .classify(
        classificationRequestFor(
          session,
          outbound.question,
          history
            .filter((row) => row.content.trim() !== '')
            .slice(-6)
            .map((row) => ({ ...row, content: vault.redact(row.content) })),
          outbound.notebookContext,
        ),
        { userId: user.id, sessionId: session.id, messageId: question.id },
        classification.signal,
      )
      .catch(() => null);
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
        question: outbound.question,
        hintLevels,
        reason,
        effectiveLevels: planned.effectiveLevels,
        notebookContext: outbound.notebookContext,
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
    const events = streamGuardedAnswer(deps.tutor, {
      request: { system: request.system, messages: request.messages },
      guardRetrySystem: request.guardRetrySystem,
      owner,
      signal: turn.abort.signal,
      programmingLevel: hintLevels.programming,
      referenceSolution: input.referenceSolution ?? rules.exercise?.referenceSolution ?? undefined,
    });
    for await (const event of events) {
      if (event.type === 'delta') {
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
      return;
    }
    throw new AnswerFailedError(turn.content.length > 0, undefined, undefined, undefined);
  } catch (error) {
    classification.abort();
    await endWithoutAnswer(deps, input, error);
  } finally {
    turn.abort.signal.removeEventListener('abort', stopClassification);
    // Counted whatever the outcome: the redacted text left either way.
    if (isRedacting) await storeRedactionCounts(deps, input, vault);
  }
}

/** Admins see how much was withheld, per kind; never the values. Losing the row costs nothing. */
async function storeRedactionCounts(deps: TurnDeps, input: RunTurnInput, vault: RedactionVault) {
  const counts = vault.counts();
  if (counts.name + counts.email + counts.phone + counts.secret === 0) return;
  try {
    await insertRedactionCounts(deps.db, {
      userId: input.user.id,
      sessionId: input.session.id,
      messageId: input.answer.id,
      names: counts.name,
      emails: counts.email,
      phones: counts.phone,
      secrets: counts.secret,
      createdAt: deps.clock(),
    });
  } catch (error) {
    deps.logger.error(
      { err: error, turnId: input.turn.turnId },
      'could not store redaction counts',
    );
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

/** Stopped, interrupted or failed: keep whatever text was shown, and say what happened. */
async function endWithoutAnswer(
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
    if (error instanceof PolicyRefusal) {
      await updateMessage(deps.db, answer.id, {
        ...common,
        status: 'error',
        errorCode: 'chat.policy_off',
      });
      finish(deps, turn, {
        name: 'chat:error',
        payload: {
          sessionId: session.id,
          turnId: turn.turnId,
          messageId: answer.id,
          content: '',
          code: 'chat.policy_off',
          message: error.message,
          retryable: false,
        },
      });
      return;
    }
    if (turn.abort.signal.aborted) {
      await updateMessage(deps.db, answer.id, {
        ...common,
        status: 'interrupted',
        errorCode: null,
      });
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
    if (!failure) deps.logger.error({ err: error, turnId: turn.turnId }, 'turn failed');
    const shown = turn.content.length > 0;
    const code = failure ? (shown ? 'ai.interrupted' : 'ai.provider_unavailable') : 'internal';
    await updateMessage(deps.db, answer.id, {
      ...common,
      status: shown ? 'interrupted' : 'error',
      errorCode: code,
    });
    finish(deps, turn, {
      name: 'chat:error',
      payload: {
        sessionId: session.id,
        turnId: turn.turnId,
        messageId: answer.id,
        content: turn.content,
        code,
        message: shown
          ? 'The answer was cut off. What you see is kept; press retry for a full answer.'
          : 'The tutor could not answer just now. Your question is saved; press retry in a moment.',
        retryable: true,
      },
    });
  } catch (storeError) {
    // Even when the database is unreachable the client must get its terminal event.
    deps.logger.error(
      { err: storeError, turnId: turn.turnId },
      'could not store the end of a turn',
    );
    finish(deps, turn, {
      name: 'chat:error',
      payload: {
        sessionId: session.id,
        turnId: turn.turnId,
        messageId: null,
        content: turn.content,
        code: 'database.unavailable',
        message:
          'The answer could not be saved because the database is unavailable. Try again in a moment.',
        retryable: true,
      },
    });
  }
}

function finish(
  deps: TurnDeps,
  turn: ActiveTurn,
  terminal: Parameters<TurnDeps['activeTurns']['finish']>[1],
) {
  deps.activeTurns.finish(turn, terminal);
  if (terminal.name === 'chat:done')
    deps.emitter.toUser(turn.userId, 'chat:done', terminal.payload);
  else deps.emitter.toUser(turn.userId, 'chat:error', terminal.payload);
}
