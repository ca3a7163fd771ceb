import { describe, expect, it } from 'vitest';
import type { Classification } from './classification.js';
import {
  applyClassification,
  capPlan,
  completeTurn,
  isHolding,
  planTurn,
  type TurnKind,
  type TurnPlan,
} from './effort-rules.js';
import { NO_EVIDENCE, type Evidence } from './evidence.js';
import {
  initialSessionState,
  type HintLevel,
  type SessionPedagogyState,
  type UserPedagogyState,
} from './hint-levels.js';

const EVIDENCE = {
  none: NO_EVIDENCE,
  words: { ...NO_EVIDENCE, messageDescribesAttempt: true },
  classifier: { ...NO_EVIDENCE, classifierSawEffort: true },
  code: { ...NO_EVIDENCE, changedAndRan: true },
  error: { ...NO_EVIDENCE, newFailure: true },
  message: { ...NO_EVIDENCE, messageShowsWork: true },
} satisfies Record<string, Evidence>;
type EvidenceName = keyof typeof EVIDENCE;

function at(level: HintLevel, attemptsOnProblem = 0): SessionPedagogyState {
  return {
    ...initialSessionState(),
    hintLevels: { programming: level, maths: level },
    highestHintLevels: { programming: level, maths: level },
    problemDifficulty: { programming: 3, maths: 3 },
    turnsOnProblem: 1,
    attemptsOnProblem,
  };
}

function plan(
  session: SessionPedagogyState,
  evidence: EvidenceName,
  options: { threshold?: number; kind?: TurnKind } = {},
): TurnPlan {
  return planTurn({
    session,
    evidence: EVIDENCE[evidence],
    kind: options.kind ?? 'new',
    threshold: options.threshold ?? 3,
  });
}

describe('planTurn: evidence × current level × threshold', () => {
  // [evidence, stored level, attempts on record, threshold, answer level, stored next, reason]
  it.each<[EvidenceName, HintLevel, number, number, HintLevel, HintLevel, string]>([
    // Nothing new: the level holds; a held 4–5 is answered as an outline.
    ['none', 1, 0, 3, 1, 1, 'hold_no_evidence'],
    ['none', 3, 0, 3, 3, 3, 'hold_no_evidence'],
    ['none', 4, 5, 3, 3, 4, 'hold_no_evidence'],
    ['none', 5, 5, 3, 3, 5, 'hold_no_evidence'],
    // Words: one step up, but never past an outline.
    ['words', 1, 0, 3, 2, 2, 'climb'],
    ['words', 2, 0, 3, 3, 3, 'climb'],
    ['words', 3, 9, 3, 3, 3, 'hold_needs_attempts'],
    ['classifier', 2, 0, 3, 3, 3, 'climb'],
    ['classifier', 3, 9, 1, 3, 3, 'hold_needs_attempts'],
    ['words', 4, 9, 3, 3, 4, 'hold_needs_attempts'],
    // Concrete: one step up; past an outline only once the attempts reach the threshold.
    ['code', 1, 0, 3, 2, 2, 'climb'],
    ['error', 2, 0, 3, 3, 3, 'climb'],
    ['message', 3, 0, 3, 3, 3, 'hold_needs_attempts'],
    ['code', 3, 1, 3, 3, 3, 'hold_needs_attempts'],
    ['code', 3, 2, 3, 4, 4, 'climb'],
    ['error', 3, 0, 1, 4, 4, 'climb'],
    ['message', 3, 1, 2, 4, 4, 'climb'],
    ['code', 4, 3, 3, 5, 5, 'climb'],
    ['code', 4, 0, 5, 4, 4, 'hold_needs_attempts'],
    ['error', 5, 9, 3, 5, 5, 'at_top'],
  ])(
    '%s evidence at level %i with %i attempts (threshold %i) answers at %i, stores %i (%s)',
    (evidence, level, attempts, threshold, answer, next, reason) => {
      const result = plan(at(level, attempts), evidence, { threshold });
      expect(result.hintLevels).toEqual({ programming: answer, maths: answer });
      expect(result.nextLevels).toEqual({ programming: next, maths: next });
      expect(result.reason).toBe(reason);
    },
  );

  it('climbs at most one step, whatever the evidence', () => {
    const result = plan(at(1, 50), 'code', { threshold: 0 });
    expect(result.nextLevels).toEqual({ programming: 2, maths: 2 });
  });

  it('moves each dimension from its own level', () => {
    const session = { ...at(2), hintLevels: { programming: 2, maths: 3 } as const };
    expect(plan(session, 'words').nextLevels).toEqual({ programming: 3, maths: 3 });
  });

  it('answers the first turn of a session with a pointer, whatever the message', () => {
    for (const evidence of ['none', 'code'] as const) {
      const result = plan(initialSessionState(), evidence);
      expect(result).toMatchObject({
        reason: 'first_turn',
        hintLevels: { programming: 2, maths: 2 },
      });
    }
  });

  it.each<TurnKind>(['retry', 'edit'])(
    'treats a %s as nothing new, whatever it carries',
    (kind) => {
      const result = plan(at(3, 2), 'code', { kind });
      expect(result).toMatchObject({ reason: 'hold_no_evidence', countsAsAttempt: false });
      expect(result.nextLevels).toEqual({ programming: 3, maths: 3 });
    },
  );

  it('counts only concrete evidence as an attempt', () => {
    expect(plan(at(2), 'words').countsAsAttempt).toBe(false);
    expect(plan(at(2), 'classifier').countsAsAttempt).toBe(false);
    expect(plan(at(2), 'error').countsAsAttempt).toBe(true);
  });

  it('marks holds, and only holds', () => {
    expect(isHolding('hold_no_evidence')).toBe(true);
    expect(isHolding('hold_needs_attempts')).toBe(true);
    expect(isHolding('climb')).toBe(false);
    expect(isHolding('at_top')).toBe(false);
  });
});

/** Plays completed turns through plan → complete, as the turn runner does. */
function play(evidence: EvidenceName[], start: SessionPedagogyState = at(2)) {
  let session = start;
  return evidence.map((name, index) => {
    const result = plan(session, name);
    session = completeTurn(session, {
      plan: result,
      answerId: `answer-${index}`,
      notebook: null,
      messageFingerprint: `message-${index}`,
    });
    return { plan: result, session };
  });
}

describe('capPlan: an exercise level or a hints-only policy', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [5, 5],
  ] as const)('keeps a code-level climb at or below level %i', (max, expected) => {
    const capped = capPlan(plan(at(4, 5), 'code'), max);
    expect(capped.hintLevels.programming).toBe(Math.min(5, expected));
    expect(capped.nextLevels.programming).toBeLessThanOrEqual(max);
  });

  it('leaves a plan under the cap as it was', () => {
    const planned = plan(at(2), 'words');
    expect(capPlan(planned, 5)).toEqual(planned);
  });
});

describe('a conversation of completed turns', () => {
  it('"just give me the answer" any number of times never climbs', () => {
    const turns = play(Array<EvidenceName>(12).fill('none'));
    expect(turns.every((t) => t.plan.hintLevels.programming === 2)).toBe(true);
    expect(turns.at(-1)?.session).toMatchObject({
      hintLevels: { programming: 2, maths: 2 },
      attemptsOnProblem: 0,
      turnsOnProblem: 13,
    });
  });

  it('reaches code-level help only after three attempts with something to look at', () => {
    const turns = play(['code', 'words', 'none', 'error', 'message', 'code']);
    expect(turns.map((t) => t.plan.hintLevels.programming)).toEqual([3, 3, 3, 3, 4, 5]);
    expect(turns.map((t) => t.session.attemptsOnProblem)).toEqual([1, 1, 1, 2, 3, 4]);
    expect(turns.at(-1)?.session.highestHintLevels).toEqual({ programming: 5, maths: 5 });
  });

  it('records the last turn and its evidence, and clears the classifier credit it used', () => {
    const [turn] = play(['classifier'], { ...at(1), pendingEffort: true });
    expect(turn?.session).toMatchObject({
      pendingEffort: false,
      lastTurn: { answerId: 'answer-0', evidence: 'words' },
      lastMessageFingerprint: 'message-0',
    });
  });

  it('keeps the last notebook snapshot when a turn sent none', () => {
    const seen = { cell: 'a', run: 'b', error: null };
    const [turn] = play(['none'], { ...at(2), notebookSeen: seen });
    expect(turn?.session.notebookSeen).toEqual(seen);
  });
});

function classification(overrides: Partial<Classification> = {}): Classification {
  return {
    isNewProblem: false,
    isElaborationRequest: false,
    showedEffort: false,
    difficulty: { programming: 3, maths: 1 },
    problemSummary: 'Sum a list',
    ...overrides,
  };
}

function user(programming: number, maths: number): UserPedagogyState {
  return { effectiveLevels: { programming, maths }, problemsObserved: 0 };
}

function completed(session: SessionPedagogyState, evidence: 'none' | 'words' | 'concrete') {
  return { ...session, lastTurn: { answerId: 'a1', evidence } };
}

describe('applyClassification (after the answer, for the next turn)', () => {
  it('changes nothing when classification failed: a failure never escalates', () => {
    expect(applyClassification(completed(at(2), 'none'), user(2, 2), 'a1', null)).toBeNull();
  });

  it('drops the verdict on a turn that is not the last completed one (stopped, or stale)', () => {
    const state = completed(at(2), 'none');
    expect(applyClassification(state, user(2, 2), 'a-stopped', classification())).toBeNull();
    expect(
      applyClassification(initialSessionState(), user(2, 2), 'a1', classification()),
    ).toBeNull();
  });

  it('starts a new problem low, from the gap between difficulty and effective level', () => {
    const state = completed({ ...at(5, 4) }, 'none');
    const outcome = applyClassification(
      state,
      user(2, 3),
      'a1',
      classification({
        isNewProblem: true,
        difficulty: { programming: 4, maths: 2 },
        problemSummary: 'Next',
      }),
    );
    expect(outcome?.startedProblem).toBe(true);
    expect(outcome?.session).toMatchObject({
      hintLevels: { programming: 3, maths: 1 },
      turnsOnProblem: 1,
      attemptsOnProblem: 0,
      problemDifficulty: { programming: 4, maths: 2 },
      problemSummary: 'Next',
    });
  });

  it('never starts a new problem above an outline', () => {
    const outcome = applyClassification(
      completed(at(5), 'none'),
      user(1, 1),
      'a1',
      classification({ isNewProblem: true, difficulty: { programming: 5, maths: 5 } }),
    );
    expect(outcome?.session.hintLevels).toEqual({ programming: 3, maths: 3 });
  });

  it('folds the finished problem into the effective level when a new one starts', () => {
    // Finished: difficulty 3 with a worked solution (5) → demonstrated 0 → 1; 0.8·2 + 0.2·1 = 1.8.
    const outcome = applyClassification(
      completed({ ...at(5), problemDifficulty: { programming: 3, maths: 1 } }, 'none'),
      user(2, 3),
      'a1',
      classification({ isNewProblem: true }),
    );
    expect(outcome?.user.effectiveLevels.programming).toBeCloseTo(1.8, 10);
    expect(outcome?.user.effectiveLevels.maths).toBe(3);
  });

  it('treats the first classified problem of a session as new', () => {
    const state = completed({ ...at(2), problemDifficulty: null }, 'none');
    const outcome = applyClassification(state, user(3, 3), 'a1', classification());
    expect(outcome).toMatchObject({
      startedProblem: true,
      session: { hintLevels: { programming: 1, maths: 1 } },
    });
  });

  it('on the same problem keeps the level and the difficulty judged at its start', () => {
    const outcome = applyClassification(
      completed(at(3, 2), 'concrete'),
      user(2, 2),
      'a1',
      classification({ difficulty: { programming: 5, maths: 5 } }),
    );
    expect(outcome?.startedProblem).toBe(false);
    expect(outcome?.session).toMatchObject({
      hintLevels: { programming: 3, maths: 3 },
      attemptsOnProblem: 2,
      problemDifficulty: { programming: 3, maths: 3 },
    });
  });

  it.each<['none' | 'words' | 'concrete', boolean, boolean]>([
    ['none', true, true],
    ['none', false, false],
    ['words', true, false],
    ['concrete', true, false],
  ])(
    'after a turn with %s evidence, a "showed effort" of %s leaves credit %s for the next turn',
    (evidence, showedEffort, credit) => {
      const outcome = applyClassification(
        completed(at(2), evidence),
        user(2, 2),
        'a1',
        classification({ showedEffort }),
      );
      expect(outcome?.session.pendingEffort).toBe(credit);
    },
  );
});
