import {
  applyClassification,
  applySelfAssessmentChange,
  buildClassificationRequest,
  capPlan,
  CODE_HELP_MIN_ATTEMPTS,
  completeTurn,
  findEvidence,
  fingerprintMessage,
  initialUserState,
  NO_EVIDENCE,
  planTurn,
  readSessionState,
  snapshotNotebook,
  type Classification,
  type EffectiveLevels,
  type HintLevel,
  type NotebookSnapshot,
  type TurnKind,
  type TurnPlan,
  type UserPedagogyState,
} from '../../ai/pedagogy/index.js';
import type { NotebookContext } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { withTransaction } from '../../db/transaction.js';
import type { UserRow } from '../users/users.types.js';
import { hasStreamingAnswer, type MessageRow, type PedagogySwap } from './messages.repository.js';
import {
  findLearningState,
  findUserPedagogy,
  swapLearntState,
  upsertUserPedagogy,
  type UserPedagogyRow,
} from './pedagogy.repository.js';
import {
  findSessionPedagogyForUpdate,
  updateSessionPedagogy,
  type SessionRow,
} from './sessions.repository.js';
import type { TurnDeps } from './turn.types.js';
import type { TurnRules } from '../exercises/turn-rules.js';

/** The user's pedagogy state, started from (or restarted at a changed) self-assessment. */
export async function loadUserState(db: Db, user: UserRow): Promise<UserPedagogyState> {
  return userStateFrom(await findUserPedagogy(db, user.id), user);
}

/** The user's pedagogy state from their stored row (none before their first classified problem). */
function userStateFrom(row: UserPedagogyRow | null | undefined, user: UserRow): UserPedagogyState {
  const selfAssessed = { programming: user.programmingLevel, maths: user.mathsLevel };
  if (!row) return initialUserState(selfAssessed);
  const stored: UserPedagogyState = {
    effectiveLevels: { programming: row.effectiveProgramming, maths: row.effectiveMaths },
    problemsObserved: row.problemsObserved,
  };
  return applySelfAssessmentChange(
    stored,
    { programming: row.baselineProgramming, maths: row.baselineMaths },
    selfAssessed,
  );
}

/** A decided turn, carried to its completion so that only then is anything committed. */
export interface PlannedTurn {
  plan: TurnPlan;
  effectiveLevels: EffectiveLevels;
  notebook: NotebookSnapshot | null;
  messageFingerprint: string;
  /** The session's stored state as read for this plan: the answer's last write swaps it. */
  basedOn: unknown;
}

/**
 * The hint levels for one answer from stored state (the session row and `loadUserState`, read
 * beside the turn's other reads) and local evidence: no model call and no read of its own, so the
 * answer starts at once. Writes nothing; see `commitCompletedTurn`.
 */
export function planHintLevels(
  user: UserPedagogyState,
  input: {
    session: SessionRow;
    question: MessageRow;
    notebookContext?: NotebookContext | undefined;
    kind: TurnKind;
    /** The exercise and module policy the turn falls under (exercises/turn-rules.ts). */
    rules?: TurnRules | undefined;
  },
): PlannedTurn {
  // A corrupt or missing stored state starts fresh rather than failing the turn.
  const session = readSessionState(input.session.pedagogy);
  const evidence =
    input.kind === 'new'
      ? findEvidence({
          message: input.question.content,
          notebookContext: input.notebookContext,
          seen: session.notebookSeen,
          lastMessageFingerprint: session.lastMessageFingerprint,
          pendingEffort: session.pendingEffort,
        })
      : NO_EVIDENCE;
  const exercise = input.rules?.exercise;
  // A failed check since the last answer is a new failure the tutor has not seen.
  const withChecks =
    exercise?.newFailedCheck && input.kind === 'new' ? { ...evidence, newFailure: true } : evidence;
  // Failed checks with changes between them are attempts; the new one is counted by planTurn.
  const checkAttempts = exercise
    ? exercise.failedChecksWithChanges - (exercise.newFailedCheck ? 1 : 0)
    : 0;
  const plan = planTurn({
    session: { ...session, attemptsOnProblem: Math.max(session.attemptsOnProblem, checkAttempts) },
    evidence: withChecks,
    kind: input.kind,
    threshold: exercise?.attemptsBeforeCodeHelp ?? CODE_HELP_MIN_ATTEMPTS,
  });
  const cap = Math.min(exercise?.maxHintLevel ?? 5, input.rules?.policy?.maxHintLevel ?? 5);
  return {
    plan: cap < 5 ? capPlan(plan, cap as HintLevel) : plan,
    effectiveLevels: user.effectiveLevels,
    notebook: snapshotNotebook(input.notebookContext),
    messageFingerprint: fingerprintMessage(input.question.content),
    basedOn: input.session.pedagogy,
  };
}

/**
 * The session state after this answer, computed from the state the turn was planned from: stored
 * with the answer's last write when no other write came between (messages.repository.ts,
 * updateCompletedAnswer), which is when it equals what `commitCompletedTurn` would store.
 */
export function pedagogySwapFor(planned: PlannedTurn, answerId: string): PedagogySwap {
  return {
    expected: planned.basedOn,
    next: completedState(planned.basedOn, planned, answerId),
  };
}

function completedState(stored: unknown, planned: PlannedTurn, answerId: string) {
  return completeTurn(readSessionState(stored), {
    plan: planned.plan,
    answerId,
    notebook: planned.notebook,
    messageFingerprint: planned.messageFingerprint,
  });
}

/**
 * The answer completed (`chat:done`): only now do the level, attempts and snapshot move. The
 * locked way, for when the answer's own write could not swap the state (pedagogySwapFor).
 */
export async function commitCompletedTurn(
  deps: Pick<TurnDeps, 'db'>,
  sessionId: string,
  answerId: string,
  planned: PlannedTurn,
): Promise<void> {
  await withTransaction(deps.db, async (db) => {
    const row = await findSessionPedagogyForUpdate(db, sessionId);
    if (!row) return;
    await updateSessionPedagogy(db, sessionId, completedState(row.pedagogy, planned, answerId));
  });
}

/** The classifier's request for a question: the last few messages, the question, the notebook. */
export function classificationRequestFor(
  session: SessionRow,
  question: MessageRow,
  history: MessageRow[],
  notebookContext: NotebookContext | undefined,
) {
  return buildClassificationRequest({
    recentMessages: history.map((row) => ({ role: row.role, content: row.content })),
    newMessage: question.content,
    previousProblemSummary: readSessionState(session.pedagogy).problemSummary || null,
    ...(notebookContext ? { notebookContext } : {}),
  });
}

/**
 * After a completed answer: fold its classification into the state for the next turn. Dropped
 * when classification failed, when a later turn already completed, or while a newer answer is
 * streaming (it was planned without this verdict and will commit after it).
 *
 * Usually two round trips and no transaction: one read, then one statement that stores the
 * outcome only if nothing changed in between (pedagogy.repository.ts, swapLearntState). When
 * something did, the locked way below decides on what is stored then.
 */
export async function learnFromClassification(
  deps: Pick<TurnDeps, 'db' | 'clock'>,
  input: { user: UserRow; sessionId: string; answerId: string },
  classification: Classification | null,
): Promise<void> {
  if (!classification) return;
  const seen = await findLearningState(deps.db, input.sessionId, input.user.id);
  if (!seen || seen.isStreaming) return;
  const outcome = applyClassification(
    readSessionState(seen.pedagogy),
    userStateFrom(seen.user, input.user),
    input.answerId,
    classification,
  );
  if (!outcome) return;
  const isSwapped = await swapLearntState(deps.db, {
    sessionId: input.sessionId,
    expected: seen.pedagogy,
    next: outcome.session,
    user: outcome.startedProblem ? userValues(input.user, outcome.user) : undefined,
    now: deps.clock(),
  });
  if (!isSwapped) await learnLocked(deps, input, classification);
}

/** The same, with the session's row locked while it reads and writes. */
async function learnLocked(
  deps: Pick<TurnDeps, 'db' | 'clock'>,
  input: { user: UserRow; sessionId: string; answerId: string },
  classification: Classification,
): Promise<void> {
  await withTransaction(deps.db, async (db) => {
    const row = await findSessionPedagogyForUpdate(db, input.sessionId);
    if (!row || (await hasStreamingAnswer(db, input.sessionId))) return;
    const user = await loadUserState(db, input.user);
    const outcome = applyClassification(
      readSessionState(row.pedagogy),
      user,
      input.answerId,
      classification,
    );
    if (!outcome) return;
    await updateSessionPedagogy(db, input.sessionId, outcome.session);
    if (!outcome.startedProblem) return;
    await upsertUserPedagogy(db, userValues(input.user, outcome.user), deps.clock());
  });
}

function userValues(user: UserRow, state: UserPedagogyState) {
  return {
    userId: user.id,
    effectiveProgramming: state.effectiveLevels.programming,
    effectiveMaths: state.effectiveLevels.maths,
    baselineProgramming: user.programmingLevel,
    baselineMaths: user.mathsLevel,
    problemsObserved: state.problemsObserved,
  };
}
