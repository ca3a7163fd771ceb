import { describe, expect, it } from 'vitest';
import { decideTurn, initialSessionState, initialUserState } from './hint-levels.js';
import { readSessionState, readUserState } from './state-schemas.js';

describe('reading stored pedagogy state', () => {
  it('round-trips what decideTurn produced through JSON', () => {
    const decision = decideTurn({
      classification: {
        isNewProblem: true,
        isElaborationRequest: false,
        difficulty: { programming: 4, maths: 2 },
        problemSummary: 'Plot a parabola',
      },
      session: initialSessionState(),
      user: initialUserState({ programming: 2, maths: 3 }),
    });
    const stored = JSON.parse(JSON.stringify(decision));
    expect(readSessionState(stored.session)).toEqual(decision.session);
    expect(readUserState(stored.user, { programming: 1, maths: 1 })).toEqual(decision.user);
  });

  it('starts fresh from missing or unreadable state instead of failing the turn', () => {
    expect(readSessionState(null)).toEqual(initialSessionState());
    expect(readSessionState({ hintLevels: { programming: 9, maths: 1 } })).toEqual(
      initialSessionState(),
    );
    expect(readUserState(undefined, { programming: 4, maths: 2 })).toEqual(
      initialUserState({ programming: 4, maths: 2 }),
    );
    expect(
      readUserState(
        { effectiveLevels: { programming: 7, maths: 2 }, problemsObserved: 1 },
        { programming: 3, maths: 3 },
      ).effectiveLevels,
    ).toEqual({ programming: 3, maths: 3 });
  });
});
