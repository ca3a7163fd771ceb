import { describe, expect, it } from 'vitest';
import {
  applySelfAssessmentChange,
  demonstratedLevel,
  initialUserState,
  startingHintLevel,
  updateEffectiveLevels,
  type Difficulty,
  type UserPedagogyState,
} from './hint-levels.js';

function user(programming: number, maths: number, problemsObserved = 0): UserPedagogyState {
  return { effectiveLevels: { programming, maths }, problemsObserved };
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
