import {
  applySelfAssessmentChange,
  buildClassificationRequest,
  decideTurn,
  readSessionState,
  initialUserState,
  type HintLevels,
  type SessionPedagogyState,
  type TurnDecision,
  type UserPedagogyState,
} from '../../ai/pedagogy/index.js';
import type { NotebookContext } from '@hintbook/contracts';
import type { UserRow } from '../users/users.repository.js';
import type { MessageRow } from './messages.repository.js';
import { findUserPedagogy, upsertUserPedagogy } from './pedagogy.repository.js';
import { updateSessionPedagogy, type SessionRow } from './sessions.repository.js';
import type { TurnDeps } from './turn.types.js';

/** The user's pedagogy state, started from (or restarted at a changed) self-assessment. */
async function loadUserState(deps: TurnDeps, user: UserRow): Promise<UserPedagogyState> {
  const row = await findUserPedagogy(deps.db, user.id);
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

/** A corrupt or missing stored state starts fresh rather than failing the turn. */
function sessionState(session: SessionRow): SessionPedagogyState {
  return readSessionState(session.pedagogy);
}

/**
 * Classifies the new question and decides the hint levels, then stores both states before any
 * answer streams, so a restart mid-answer continues from the decided levels.
 */
export async function decideHintLevels(
  deps: TurnDeps,
  input: {
    user: UserRow;
    session: SessionRow;
    question: MessageRow;
    history: MessageRow[];
    notebookContext?: NotebookContext | undefined;
  },
): Promise<TurnDecision> {
  const session = sessionState(input.session);
  // Every millisecond here delays the first token: the state read runs beside the
  // classification call, and the two writes beside each other; none depends on its partner.
  const [user, classification] = await Promise.all([
    loadUserState(deps, input.user),
    deps.tutor.classify(
      buildClassificationRequest({
        recentMessages: input.history.map((row) => ({ role: row.role, content: row.content })),
        newMessage: input.question.content,
        previousProblemSummary: session.problemSummary || null,
        ...(input.notebookContext ? { notebookContext: input.notebookContext } : {}),
      }),
      { userId: input.user.id, sessionId: input.session.id, messageId: input.question.id },
    ),
  ]);
  const decision = decideTurn({ classification, session, user });
  await Promise.all([
    updateSessionPedagogy(deps.db, input.session.id, decision.session),
    upsertUserPedagogy(
      deps.db,
      {
        userId: input.user.id,
        effectiveProgramming: decision.user.effectiveLevels.programming,
        effectiveMaths: decision.user.effectiveLevels.maths,
        baselineProgramming: input.user.programmingLevel,
        baselineMaths: input.user.mathsLevel,
        problemsObserved: decision.user.problemsObserved,
      },
      deps.clock(),
    ),
  ]);
  return decision;
}

/** For a retry: the levels the failed answer was decided with (a failure never escalates). */
export async function currentLevels(
  deps: TurnDeps,
  user: UserRow,
  session: SessionRow,
  failedAnswer: MessageRow | undefined,
): Promise<{ hintLevels: HintLevels; user: UserPedagogyState }> {
  const userState = await loadUserState(deps, user);
  const fromAnswer =
    failedAnswer?.hintLevelProgramming && failedAnswer.hintLevelMaths
      ? ({
          programming: failedAnswer.hintLevelProgramming,
          maths: failedAnswer.hintLevelMaths,
        } as HintLevels)
      : undefined;
  return {
    hintLevels: fromAnswer ?? sessionState(session).hintLevels ?? { programming: 2, maths: 2 },
    user: userState,
  };
}
