/**
 * Help follows effort: the per-turn rules. Pure functions over the stored session state.
 *
 * - `planTurn` decides the answer's levels before it starts, from stored state and local
 *   evidence only (no model call), so the answer can start at once.
 * - `completeTurn` is what a completed answer (`chat:done`) commits. Stopped, failed, retried
 *   and interrupted turns commit nothing, so they can never raise the level.
 * - `applyClassification` folds the classifier's verdict, which arrives beside or after the
 *   answer, into the state for the next turn: a new problem restarts low, the effective level
 *   moves, an attempt the local rules missed is remembered.
 */
import type { Classification } from './classification.js';
import {
  strengthOf,
  type Evidence,
  type EvidenceStrength,
  type NotebookSnapshot,
} from './evidence.js';
import {
  FAILURE_DEFAULT_LEVEL,
  NEW_PROBLEM_MAX_LEVEL,
  capSummary,
  higher,
  mapDimensions,
  startingHintLevel,
  updateEffectiveLevels,
  type HintLevel,
  type HintLevels,
  type SessionPedagogyState,
  type UserPedagogyState,
} from './hint-levels.js';

/** A retry or an edit-and-resend asks the same thing again: never evidence. */
export type TurnKind = 'new' | 'retry' | 'edit';

export type TurnReason =
  /** Nothing is stored yet: the session's first answer. */
  | 'first_turn'
  /** Evidence of a new attempt: one step up. */
  | 'climb'
  /** Nothing new: the level holds and the tutor says what to try next. */
  | 'hold_no_evidence'
  /** Something new, but not enough attempts yet for code-level help. */
  | 'hold_needs_attempts'
  /** Already at a worked solution. */
  | 'at_top';

export interface TurnPlan {
  /** The levels this answer is given at. */
  hintLevels: HintLevels;
  /** The ladder position committed if (and only if) the answer completes. */
  nextLevels: HintLevels;
  reason: TurnReason;
  evidence: EvidenceStrength;
  /** Counts towards the code-level threshold when the answer completes. */
  countsAsAttempt: boolean;
}

export interface PlanTurnInput {
  session: SessionPedagogyState;
  evidence: Evidence;
  kind: TurnKind;
  /** Attempts with concrete evidence needed before levels 4 and 5 (CODE_HELP_MIN_ATTEMPTS). */
  threshold: number;
}

const OUTLINE: HintLevel = NEW_PROBLEM_MAX_LEVEL;

function capAt(levels: HintLevels, max: HintLevel): HintLevels {
  return mapDimensions((d) => Math.min(levels[d], max) as HintLevel);
}

function same(a: HintLevels, b: HintLevels): boolean {
  return a.programming === b.programming && a.maths === b.maths;
}

/**
 * The levels for one answer. Rules:
 * - The session's first answer: FAILURE_DEFAULT_LEVEL (2); the classifier, after the answer,
 *   re-anchors the problem at its starting level (never above 3).
 * - Nothing new (or a retry/edit): the stored level holds.
 * - Evidence: one step up per dimension, at most. Above an outline (3) only on concrete evidence
 *   and once `threshold` attempts with concrete evidence (this one included) are on record.
 * - Code-level help (4–5) goes only to a turn that itself carries concrete evidence. Whether a
 *   message starts a new problem is known only after the answer, so a held level 4–5 is answered
 *   as an outline: "give me the code" about the next exercise must not inherit the last one's help.
 */
export function planTurn({ session, evidence, kind, threshold }: PlanTurnInput): TurnPlan {
  const strength = kind === 'new' ? strengthOf(evidence) : 'none';
  const stored = session.hintLevels;
  if (!stored) {
    const levels = { programming: FAILURE_DEFAULT_LEVEL, maths: FAILURE_DEFAULT_LEVEL };
    return {
      hintLevels: levels,
      nextLevels: levels,
      reason: 'first_turn',
      evidence: strength,
      countsAsAttempt: strength === 'concrete',
    };
  }
  if (strength === 'none') {
    return {
      hintLevels: capAt(stored, OUTLINE),
      nextLevels: stored,
      reason: 'hold_no_evidence',
      evidence: strength,
      countsAsAttempt: false,
    };
  }
  const isConcrete = strength === 'concrete';
  const attempts = session.attemptsOnProblem + (isConcrete ? 1 : 0);
  const ceiling: HintLevel = isConcrete && attempts >= threshold ? 5 : OUTLINE;
  // Never down (help already given stays given), at most one up, never past the ceiling.
  const nextLevels = mapDimensions(
    (d) => Math.max(stored[d], Math.min(stored[d] + 1, ceiling)) as HintLevel,
  );
  const hintLevels = isConcrete ? nextLevels : capAt(nextLevels, OUTLINE);
  const climbed = !same(nextLevels, stored);
  const atTop = stored.programming === 5 && stored.maths === 5;
  return {
    hintLevels,
    nextLevels,
    reason: climbed ? 'climb' : atTop && isConcrete ? 'at_top' : 'hold_needs_attempts',
    evidence: strength,
    countsAsAttempt: isConcrete,
  };
}

/**
 * A plan never above `max` (an exercise's highest level, a module's hints-only policy): the
 * answer is capped, and so is the ladder, so the cap holds on the next turn too.
 */
export function capPlan(plan: TurnPlan, max: HintLevel): TurnPlan {
  return {
    ...plan,
    hintLevels: capAt(plan.hintLevels, max),
    nextLevels: capAt(plan.nextLevels, max),
  };
}

/** True when the student gets no more help than before for want of (enough) attempts. */
export function isHolding(reason: TurnReason): boolean {
  return reason === 'hold_no_evidence' || reason === 'hold_needs_attempts';
}

export interface CompletedTurn {
  plan: TurnPlan;
  answerId: string;
  /** The snapshot sent with the question; null keeps the previous one (a retry sends none). */
  notebook: NotebookSnapshot | null;
  messageFingerprint: string;
}

/** The state after an answer completed. Applied to the state as stored at completion. */
export function completeTurn(
  state: SessionPedagogyState,
  turn: CompletedTurn,
): SessionPedagogyState {
  return {
    ...state,
    hintLevels: turn.plan.nextLevels,
    turnsOnProblem: state.turnsOnProblem + 1,
    attemptsOnProblem: state.attemptsOnProblem + (turn.plan.countsAsAttempt ? 1 : 0),
    highestHintLevels: higher(state.highestHintLevels, turn.plan.hintLevels),
    notebookSeen: turn.notebook ?? state.notebookSeen,
    lastMessageFingerprint: turn.messageFingerprint,
    // Used (or not) by this turn's plan; the classification of this turn may set it again.
    pendingEffort: false,
    lastTurn: { answerId: turn.answerId, evidence: turn.plan.evidence },
  };
}

export interface ClassificationOutcome {
  session: SessionPedagogyState;
  user: UserPedagogyState;
  startedProblem: boolean;
}

/**
 * Folds the classification of the completed turn `answerId` into the state, for the next turn.
 * Returns null when it must change nothing: classification failed (a failure never escalates),
 * or the turn is not the last completed one (it was stopped or failed, or a later turn completed
 * first, so the verdict is stale).
 *
 * A new problem (or the first classified one) folds the previous problem into the effective level
 * and restarts at `startingHintLevel` (≤ 3); the answer just given counts as its first turn.
 * On the same problem, the difficulty judged at its start stays.
 */
export function applyClassification(
  state: SessionPedagogyState,
  user: UserPedagogyState,
  answerId: string,
  classification: Classification | null,
): ClassificationOutcome | null {
  if (!classification || state.lastTurn?.answerId !== answerId) return null;
  const lastEvidence = state.lastTurn.evidence;
  if (classification.isNewProblem || !state.problemDifficulty) {
    const nextUser = updateEffectiveLevels(user, state);
    const start = mapDimensions((d) =>
      startingHintLevel(classification.difficulty[d], nextUser.effectiveLevels[d]),
    );
    return {
      session: {
        ...state,
        hintLevels: start,
        turnsOnProblem: 1,
        attemptsOnProblem: lastEvidence === 'concrete' ? 1 : 0,
        problemDifficulty: { ...classification.difficulty },
        problemSummary: capSummary(classification.problemSummary),
        highestHintLevels: start,
        pendingEffort: false,
      },
      user: nextUser,
      startedProblem: true,
    };
  }
  return {
    session: {
      ...state,
      problemSummary: state.problemSummary || capSummary(classification.problemSummary),
      // Credit the classifier only for what the local rules missed, so nothing counts twice.
      pendingEffort: classification.showedEffort && lastEvidence === 'none',
    },
    user,
    startedProblem: false,
  };
}
