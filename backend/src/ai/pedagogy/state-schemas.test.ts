import { describe, expect, it } from 'vitest';
import { applyClassification, completeTurn, planTurn } from './effort-rules.js';
import { NO_EVIDENCE } from './evidence.js';
import { initialSessionState, initialUserState } from './hint-levels.js';
import { readSessionState, readUserState } from './state-schemas.js';

describe('reading stored pedagogy state', () => {
  it('round-trips what a completed, classified turn produced through JSON', () => {
    const session = initialSessionState();
    const completed = completeTurn(session, {
      plan: planTurn({ session, evidence: NO_EVIDENCE, kind: 'new', threshold: 3 }),
      answerId: 'answer-1',
      notebook: { cell: 'abc', run: null, error: 'def' },
      messageFingerprint: '0123456789abcdef',
    });
    const decision = applyClassification(
      completed,
      initialUserState({ programming: 2, maths: 3 }),
      'answer-1',
      {
        isNewProblem: true,
        isElaborationRequest: false,
        showedEffort: false,
        difficulty: { programming: 4, maths: 2 },
        problemSummary: 'Plot a parabola',
      },
    )!;
    const stored = JSON.parse(JSON.stringify(decision));
    expect(readSessionState(stored.session)).toEqual(decision.session);
    expect(readUserState(stored.user, { programming: 1, maths: 1 })).toEqual(decision.user);
  });

  it('reads state stored before "help follows effort" as the same problem with no evidence', () => {
    const old = {
      hintLevels: { programming: 3, maths: 2 },
      turnsOnProblem: 4,
      problemDifficulty: { programming: 3, maths: 2 },
      problemSummary: 'Sum a list',
      highestHintLevels: { programming: 3, maths: 2 },
    };
    expect(readSessionState(old)).toEqual({
      ...old,
      attemptsOnProblem: 0,
      notebookSeen: null,
      lastMessageFingerprint: null,
      pendingEffort: false,
      lastTurn: null,
    });
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
