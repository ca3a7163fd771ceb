import { describe, expect, it } from 'vitest';
import type { Classification } from './classification.js';
import {
  applySelfAssessmentChange,
  decideTurn,
  demonstratedLevel,
  initialSessionState,
  initialUserState,
  startingHintLevel,
  updateEffectiveLevels,
  type Difficulty,
  type SessionPedagogyState,
  type UserPedagogyState,
} from './hint-levels.js';

function classification(overrides: Partial<Classification> = {}): Classification {
  return {
    isNewProblem: true,
    isElaborationRequest: false,
    difficulty: { programming: 3, maths: 1 },
    problemSummary: 'Sum the even numbers in a list',
    ...overrides,
  };
}

function user(programming: number, maths: number, problemsObserved = 0): UserPedagogyState {
  return { effectiveLevels: { programming, maths }, problemsObserved };
}

/** Runs a sequence of classifications (null = failure) through decideTurn. */
function play(
  steps: (Classification | null)[],
  start: { session?: SessionPedagogyState; user?: UserPedagogyState } = {},
) {
  let session = start.session ?? initialSessionState();
  let current = start.user ?? user(2, 2);
  return steps.map((c) => {
    const decision = decideTurn({ classification: c, session, user: current });
    session = decision.session;
    current = decision.user;
    return decision;
  });
}

describe('startingHintLevel', () => {
  it('starts an able student with a question', () => {
    expect(startingHintLevel(3, 3)).toBe(1);
    expect(startingHintLevel(2, 4.5)).toBe(1);
  });

  it('adds one level per level of gap', () => {
    expect(startingHintLevel(3, 2)).toBe(2);
    expect(startingHintLevel(4, 2)).toBe(3);
  });

  it('never starts above 3, even for a beginner on the hardest problem', () => {
    expect(startingHintLevel(5, 1)).toBe(3);
  });

  it('rounds the gap, so a moving average just under the difficulty counts as able', () => {
    expect(startingHintLevel(3, 2.98)).toBe(1);
    expect(startingHintLevel(3, 2.4)).toBe(2);
  });
});

describe('decideTurn on a new problem', () => {
  it('starts each dimension from its own gap on the first turn', () => {
    const [turn] = play([classification({ difficulty: { programming: 4, maths: 2 } })], {
      user: user(2, 3),
    });
    expect(turn?.reason).toBe('new_problem');
    expect(turn?.hintLevels).toEqual({ programming: 3, maths: 1 });
    expect(turn?.session).toEqual({
      hintLevels: { programming: 3, maths: 1 },
      turnsOnProblem: 1,
      problemDifficulty: { programming: 4, maths: 2 },
      problemSummary: 'Sum the even numbers in a list',
      highestHintLevels: { programming: 3, maths: 1 },
    });
  });

  it('treats "same problem" on the first turn as a new problem', () => {
    const [turn] = play([classification({ isNewProblem: false, isElaborationRequest: true })]);
    expect(turn?.reason).toBe('new_problem');
    expect(turn?.hintLevels).toEqual({ programming: 2, maths: 1 });
  });

  it('drops back down when a new problem follows an escalated one', () => {
    const turns = play([
      classification(),
      classification({ isNewProblem: false }),
      classification({ isNewProblem: false }),
      classification({ difficulty: { programming: 2, maths: 1 }, problemSummary: 'Other' }),
    ]);
    expect(turns.map((t) => t.hintLevels.programming)).toEqual([2, 3, 4, 1]);
    expect(turns[3]?.session.turnsOnProblem).toBe(1);
    expect(turns[3]?.session.problemSummary).toBe('Other');
  });

  it('caps the stored summary length', () => {
    const [turn] = play([classification({ problemSummary: `  ${'x'.repeat(500)}  ` })]);
    expect(turn?.session.problemSummary).toBe('x'.repeat(200));
  });
});

describe('decideTurn on the same problem', () => {
  it('escalates one level per turn up to 5 and stays there', () => {
    const same = classification({ isNewProblem: false });
    const turns = play(
      [classification({ difficulty: { programming: 5, maths: 2 } }), ...Array(5).fill(same)],
      {
        user: user(1, 2),
      },
    );
    expect(turns.map((t) => t.hintLevels.programming)).toEqual([3, 4, 5, 5, 5, 5]);
    expect(turns.map((t) => t.hintLevels.maths)).toEqual([1, 2, 3, 4, 5, 5]);
    expect(turns.slice(1).every((t) => t.reason === 'escalate')).toBe(true);
    expect(turns[5]?.session.turnsOnProblem).toBe(6);
    expect(turns[5]?.session.highestHintLevels).toEqual({ programming: 5, maths: 5 });
  });

  it('holds the level when the student asks to have the last answer explained again', () => {
    const turns = play([
      classification(),
      classification({ isNewProblem: false, isElaborationRequest: true }),
      classification({ isNewProblem: false, isElaborationRequest: true }),
    ]);
    expect(turns.map((t) => t.hintLevels.programming)).toEqual([2, 2, 2]);
    expect(turns[1]?.reason).toBe('hold_elaboration');
    expect(turns[2]?.session.turnsOnProblem).toBe(3);
  });

  it('keeps the difficulty judged at the start of the problem', () => {
    const turns = play([
      classification(),
      classification({ isNewProblem: false, difficulty: { programming: 5, maths: 5 } }),
    ]);
    expect(turns[1]?.session.problemDifficulty).toEqual({ programming: 3, maths: 1 });
  });

  it('does not touch the effective level', () => {
    const turns = play([classification(), classification({ isNewProblem: false })]);
    expect(turns[1]?.user).toEqual(user(2, 2));
  });
});

describe('decideTurn when classification fails', () => {
  it('uses level 2 in both dimensions on the first turn', () => {
    const [turn] = play([null]);
    expect(turn?.reason).toBe('first_turn_failure');
    expect(turn?.hintLevels).toEqual({ programming: 2, maths: 2 });
    expect(turn?.session.problemDifficulty).toBeNull();
  });

  it('keeps the previous level and never escalates, however often it fails', () => {
    const turns = play([
      classification(),
      classification({ isNewProblem: false }),
      null,
      null,
      null,
    ]);
    expect(turns.map((t) => t.hintLevels.programming)).toEqual([2, 3, 3, 3, 3]);
    expect(turns.slice(2).every((t) => t.reason === 'hold_failure')).toBe(true);
  });

  it('leaves the effective level and the problem alone', () => {
    const turns = play([classification(), null]);
    expect(turns[1]?.user).toEqual(user(2, 2));
    expect(turns[1]?.session.problemSummary).toBe('Sum the even numbers in a list');
    expect(turns[1]?.session.problemDifficulty).toEqual({ programming: 3, maths: 1 });
  });

  it('resumes escalating from the held level once classification works again', () => {
    const turns = play([null, classification({ isNewProblem: false })]);
    expect(turns[1]?.reason).toBe('escalate');
    expect(turns[1]?.hintLevels).toEqual({ programming: 3, maths: 3 });
    expect(turns[1]?.session.problemDifficulty).toEqual({ programming: 3, maths: 1 });
  });
});

describe('demonstratedLevel', () => {
  it('shows more than the difficulty after a question only, the difficulty after a pointer', () => {
    expect(demonstratedLevel(3, 1)).toBe(4);
    expect(demonstratedLevel(3, 2)).toBe(3);
  });

  it('shows less than the difficulty when a worked solution was needed', () => {
    expect(demonstratedLevel(4, 5)).toBe(1);
    expect(demonstratedLevel(5, 5)).toBe(2);
  });

  it('stays within 1–5', () => {
    expect(demonstratedLevel(5, 1)).toBe(5);
    expect(demonstratedLevel(2, 5)).toBe(1);
  });
});

describe('updateEffectiveLevels', () => {
  const finished = (
    programming: Difficulty,
    maths: Difficulty,
    highest: [1 | 2 | 3 | 4 | 5, 1 | 2 | 3 | 4 | 5],
  ) => ({
    problemDifficulty: { programming, maths },
    highestHintLevels: { programming: highest[0], maths: highest[1] },
  });

  it('moves 20% of the way towards what was demonstrated', () => {
    // programming: 0.8·2 + 0.2·4 = 2.4; maths: 0.8·3 + 0.2·(4 + 2 − 5 = 1) = 2.6
    const next = updateEffectiveLevels(user(2, 3), finished(3, 4, [1, 5]));
    expect(next.effectiveLevels.programming).toBeCloseTo(2.4, 10);
    expect(next.effectiveLevels.maths).toBeCloseTo(2.6, 10);
    expect(next.problemsObserved).toBe(1);
  });

  it('does not drag down a dimension the problem did not exercise', () => {
    const next = updateEffectiveLevels(user(2, 4), finished(3, 1, [2, 5]));
    expect(next.effectiveLevels).toEqual({ programming: 2.2, maths: 4 });
  });

  it('changes nothing when neither dimension was exercised or the difficulty is unknown', () => {
    expect(updateEffectiveLevels(user(3, 3), finished(1, 1, [5, 5]))).toEqual(user(3, 3));
    const unknown = {
      problemDifficulty: null,
      highestHintLevels: { programming: 5, maths: 5 },
    } as const;
    expect(updateEffectiveLevels(user(3, 3), unknown)).toEqual(user(3, 3));
  });

  it('stays within 1–5 after many problems', () => {
    let low = user(1, 1);
    let high = user(5, 5);
    for (let i = 0; i < 50; i += 1) {
      low = updateEffectiveLevels(low, finished(2, 2, [5, 5]));
      high = updateEffectiveLevels(high, finished(5, 5, [1, 1]));
    }
    expect(low.effectiveLevels).toEqual({ programming: 1, maths: 1 });
    expect(high.effectiveLevels).toEqual({ programming: 5, maths: 5 });
    expect(high.problemsObserved).toBe(50);
  });
});

describe('decideTurn and the effective level', () => {
  it('updates only when a new problem starts, from the problem just finished', () => {
    const turns = play(
      [
        classification({ difficulty: { programming: 4, maths: 1 } }),
        classification({ isNewProblem: false }),
        classification({ isNewProblem: false }),
        classification({ difficulty: { programming: 2, maths: 1 }, problemSummary: 'Next' }),
      ],
      { user: user(2, 3) },
    );
    expect(turns.slice(0, 3).every((t) => t.user.effectiveLevels.programming === 2)).toBe(true);
    // Highest level on the first problem was 5 (3 → 4 → 5): demonstrated 4 + 2 − 5 = 1.
    // 0.8·2 + 0.2·1 = 1.8; maths was not exercised and stays 3.
    expect(turns[3]?.user.effectiveLevels.programming).toBeCloseTo(1.8, 10);
    expect(turns[3]?.user.effectiveLevels.maths).toBe(3);
    expect(turns[3]?.user.problemsObserved).toBe(1);
  });

  it('starts the new problem from the updated level', () => {
    // A difficulty-5 problem that started (and ended) at an outline: demonstrated 5 + 2 − 3 = 4,
    // 0.8·3.4 + 0.2·4 = 3.52, so a difficulty-4 problem is a rounded gap of 0 and starts at 1
    // (from the old 3.4 it would have been a gap of 1 and a start at 2).
    const turns = play(
      [
        classification({ difficulty: { programming: 5, maths: 1 } }),
        classification({ difficulty: { programming: 4, maths: 1 } }),
      ],
      { user: user(3.4, 2) },
    );
    expect(turns[0]?.hintLevels.programming).toBe(3);
    expect(turns[1]?.user.effectiveLevels.programming).toBeCloseTo(3.52, 10);
    expect(turns[1]?.hintLevels.programming).toBe(1);
  });
});

describe('initial and profile changes', () => {
  it('starts the effective level at the self-assessed level, clamped', () => {
    expect(initialUserState({ programming: 4, maths: 9 })).toEqual(user(4, 5));
  });

  it('keeps learned levels when the self-assessment did not change (e.g. a new username)', () => {
    const learned = user(2.7, 3.3, 6);
    const next = applySelfAssessmentChange(
      learned,
      { programming: 3, maths: 3 },
      { programming: 3, maths: 3 },
    );
    expect(next).toEqual(learned);
  });

  it('restarts only the dimension whose self-assessment changed', () => {
    const next = applySelfAssessmentChange(
      user(2.7, 3.3, 6),
      { programming: 3, maths: 3 },
      { programming: 3, maths: 5 },
    );
    expect(next).toEqual(user(2.7, 5, 6));
  });
});
