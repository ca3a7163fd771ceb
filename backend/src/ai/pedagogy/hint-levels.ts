/**
 * The hint-level model: levels, the stored state, where a new problem starts and how the
 * effective level (EMA) moves. Pure and deterministic. The per-turn rules (help follows effort)
 * are in `effort-rules.ts`.
 */
import type { EvidenceStrength, NotebookSnapshot } from './evidence.js';

export const DIMENSIONS = ['programming', 'maths'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** 1 Socratic question · 2 conceptual pointer · 3 structure · 4 partial code · 5 worked solution. */
export type HintLevel = 1 | 2 | 3 | 4 | 5;
/** How hard a problem is in one dimension, on the same 1–5 scale as the student's level. */
export type Difficulty = 1 | 2 | 3 | 4 | 5;

export const HINT_LEVEL_NAMES: Readonly<Record<HintLevel, string>> = {
  1: 'socratic_question',
  2: 'conceptual_pointer',
  3: 'structure',
  4: 'partial_code',
  5: 'worked_solution',
};

export type HintLevels = Record<Dimension, HintLevel>;
export type Difficulties = Record<Dimension, Difficulty>;
/** Real numbers in [1, 5]; they move slowly, so they are kept unrounded. */
export type EffectiveLevels = Record<Dimension, number>;

/** The highest level a brand-new problem may start at: a full solution is never the first answer. */
export const NEW_PROBLEM_MAX_LEVEL: HintLevel = 3;
/** A session's first answer, before anything is known about the problem. */
export const FAILURE_DEFAULT_LEVEL: HintLevel = 2;
/** Code-level help (4 partial code, 5 worked solution) needs this many attempts with evidence. */
export const CODE_HELP_MIN_ATTEMPTS = 3;
/** Weight of one finished problem in the effective level (EMA). Small, so one odd problem barely moves it. */
export const EFFECTIVE_LEVEL_ALPHA = 0.2;
/** Long enough to tell two problems apart, short enough to keep the classifier prompt cheap. */
export const PROBLEM_SUMMARY_MAX_LENGTH = 200;

/** Per chat session: where the current problem stands. Stored as-is by the caller. */
export interface SessionPedagogyState {
  /** Null until the first turn of the session has been decided. */
  hintLevels: HintLevels | null;
  /** Turns spent on the current problem, including the one that started it. */
  turnsOnProblem: number;
  /** Null when the problem's difficulty is unknown (the classifier failed when it started). */
  problemDifficulty: Difficulties | null;
  /** The classifier's own short summary, at most PROBLEM_SUMMARY_MAX_LENGTH characters. */
  problemSummary: string;
  /** The most help given on the current problem per dimension; feeds the effective level later. */
  highestHintLevels: HintLevels | null;
  /** Completed turns on the current problem that carried concrete evidence of a new attempt. */
  attemptsOnProblem: number;
  /** What the tutor saw of the notebook at its last completed answer; null before any. */
  notebookSeen: NotebookSnapshot | null;
  /** The last completed turn's message fingerprint: the same text again is not a new attempt. */
  lastMessageFingerprint: string | null;
  /** The classifier saw an attempt in the last completed turn's message that the local rules missed. */
  pendingEffort: boolean;
  /** The last completed turn: a late classification of any other turn is dropped. */
  lastTurn: { answerId: string; evidence: EvidenceStrength } | null;
}

/** Per user, shared by all their sessions. */
export interface UserPedagogyState {
  effectiveLevels: EffectiveLevels;
  /** Finished problems that fed the moving average. */
  problemsObserved: number;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Rounds and clamps any number onto the 1–5 scale. */
export function toLevel(value: number): HintLevel {
  return clamp(Math.round(value), 1, 5) as HintLevel;
}

export function mapDimensions<T>(fn: (dimension: Dimension) => T): Record<Dimension, T> {
  return { programming: fn('programming'), maths: fn('maths') };
}

export function initialSessionState(): SessionPedagogyState {
  return {
    hintLevels: null,
    turnsOnProblem: 0,
    problemDifficulty: null,
    problemSummary: '',
    highestHintLevels: null,
    attemptsOnProblem: 0,
    notebookSeen: null,
    lastMessageFingerprint: null,
    pendingEffort: false,
    lastTurn: null,
  };
}

/** The effective level starts where the student put themselves. */
export function initialUserState(selfAssessed: Record<Dimension, number>): UserPedagogyState {
  return {
    effectiveLevels: mapDimensions((d) => clamp(selfAssessed[d], 1, 5)),
    problemsObserved: 0,
  };
}

/**
 * The student edited their profile. Only a dimension whose self-assessed level actually changed
 * restarts from the new value; anything else in the profile (the username, say) leaves the
 * learned levels alone.
 */
export function applySelfAssessmentChange(
  user: UserPedagogyState,
  previous: Record<Dimension, number>,
  next: Record<Dimension, number>,
): UserPedagogyState {
  return {
    ...user,
    effectiveLevels: mapDimensions((d) =>
      previous[d] === next[d] ? user.effectiveLevels[d] : clamp(next[d], 1, 5),
    ),
  };
}

/**
 * Rule (a): the first hint level on a new problem.
 *
 *   start = min(3, 1 + max(0, round(difficulty − effective)))
 *
 * An able student (effective ≥ difficulty) starts with a question; each level of gap adds one
 * level of help; never above 3, so a full solution is never the first answer. The gap is rounded
 * (not ceiled) so an effective level of 2.98 after the moving average counts as 3, not as a gap.
 */
export function startingHintLevel(difficulty: Difficulty, effective: number): HintLevel {
  const gap = Math.max(0, Math.round(difficulty - effective));
  return Math.min(NEW_PROBLEM_MAX_LEVEL, 1 + gap) as HintLevel;
}

/**
 * What finishing a problem says about the student in one dimension:
 *
 *   demonstrated = clamp(difficulty + 2 − highestHintLevel, 1, 5)
 *
 * Needing only a question (1) shows difficulty + 1, a pointer (2) shows the difficulty itself
 * (little help ⇒ at least the problem's level); every further level of help is one level below,
 * so a worked solution (5) shows difficulty − 3.
 */
export function demonstratedLevel(difficulty: Difficulty, highestHintLevel: HintLevel): number {
  return clamp(difficulty + 2 - highestHintLevel, 1, 5);
}

/**
 * Rules (e) and (f): fold the finished problem into the effective levels.
 *
 *   next = clamp((1 − α)·current + α·demonstrated, 1, 5), α = EFFECTIVE_LEVEL_ALPHA
 *
 * A dimension the problem did not exercise (difficulty ≤ 1, e.g. no maths at all) is skipped:
 * solving it says nothing about that skill and must not drag the level down. A problem whose
 * difficulty is unknown (classification failed when it started) changes nothing.
 */
export function updateEffectiveLevels(
  user: UserPedagogyState,
  finished: Pick<SessionPedagogyState, 'problemDifficulty' | 'highestHintLevels'>,
): UserPedagogyState {
  const { problemDifficulty, highestHintLevels } = finished;
  if (!problemDifficulty || !highestHintLevels) return user;
  let exercised = false;
  const effectiveLevels = mapDimensions((d) => {
    const current = user.effectiveLevels[d];
    if (problemDifficulty[d] <= 1) return current;
    exercised = true;
    const shown = demonstratedLevel(problemDifficulty[d], highestHintLevels[d]);
    const next = (1 - EFFECTIVE_LEVEL_ALPHA) * current + EFFECTIVE_LEVEL_ALPHA * shown;
    return clamp(next, 1, 5);
  });
  if (!exercised) return user;
  return { effectiveLevels, problemsObserved: user.problemsObserved + 1 };
}

/** The higher of two level pairs, per dimension; `a` may be missing. */
export function higher(a: HintLevels | null, b: HintLevels): HintLevels {
  if (!a) return b;
  return mapDimensions((d) => Math.max(a[d], b[d]) as HintLevel);
}

export function capSummary(summary: string): string {
  return summary.trim().slice(0, PROBLEM_SUMMARY_MAX_LENGTH);
}
