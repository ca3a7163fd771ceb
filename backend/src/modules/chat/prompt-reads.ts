import type { NotebookContext } from '@hintbook/contracts';
import { resolveTurnRules } from '../exercises/turn-rules.js';
import type { UserRow } from '../users/users.types.js';
import { loadConversation } from './context.js';
import { findCourseMaterial } from './course-material.js';
import { loadUserState } from './pedagogy.service.js';
import type { SessionRow } from './sessions.repository.js';
import { PolicyRefusal } from './turn-endings.js';
import type { PromptInputs, PromptReads, TurnDeps } from './turn.types.js';

export type { PromptInputs, PromptReads };

export interface PromptReadsInput {
  user: UserRow;
  sessionId: string;
  /**
   * The session's scope and notebook: the row itself, or its read still running beside these
   * (turn.service.ts starts a follow-up's reads before it knows the send is new). Undefined
   * means not found: the reads fail and the send, refused, never uses them.
   */
  session:
    | Pick<SessionRow, 'scope' | 'notebookId'>
    | Promise<Pick<SessionRow, 'scope' | 'notebookId'> | undefined>;
  question: { seq: number; notebookContext?: NotebookContext | undefined };
  /** A conversation this question opens: it has no history to read. */
  isNewSession?: boolean | undefined;
  /** The question and its context as they may leave for a vendor (redacted when that is on). */
  outbound: { content: string; notebookContext?: NotebookContext | undefined };
  now: Date;
}

/**
 * Starts every read an answer's prompt needs, side by side: the module rules, the student's
 * levels, the conversation (one query) and the course search. Whichever needs the session's
 * scope waits for it; the others start at once. The rules switching the tutor off end the
 * reads with PolicyRefusal, and the search stops: no model call for a closed tutor.
 */
export function startPromptReads(deps: TurnDeps, input: PromptReadsInput): PromptReads {
  const retrieval = new AbortController();
  const { user } = input;
  const session = Promise.resolve(input.session).then((found) => {
    if (!found) throw new Error('the session of these reads was not found');
    return { id: input.sessionId, scope: found.scope, notebookId: found.notebookId };
  });
  const rules = session
    .then((scope) =>
      resolveTurnRules(
        deps.db,
        {
          userId: user.id,
          session: scope,
          questionSeq: input.question.seq,
          notebookContext: input.question.notebookContext,
          now: input.now,
        },
        deps.policies,
      ),
    )
    .then((found) => {
      // Enforced here, for every turn (chat, workspace, retry): the tutor is off, no model call.
      if (found.policy?.mode === 'off') {
        retrieval.abort();
        throw new PolicyRefusal(found.policy.text);
      }
      return found;
    });
  const inputs = Promise.all([
    rules,
    loadUserState(deps.db, user),
    input.isNewSession
      ? { recent: [], history: [], summary: null }
      : loadConversation(deps, input.sessionId, input.question),
    // The query is embedded by a vendor when vectors are on: it goes out redacted too.
    session.then((scope) =>
      findCourseMaterial(deps, {
        userId: user.id,
        session: scope,
        question: input.outbound.content,
        notebookContext: input.outbound.notebookContext,
        signal: retrieval.signal,
      }),
    ),
  ]).then(([rules, pedagogy, conversation, material]) => ({
    rules,
    pedagogy,
    ...conversation,
    material,
  }));
  // Reads that lose to a refusal (or whose send turned out a duplicate) are never awaited.
  inputs.catch(() => undefined);
  return { inputs, stop: () => retrieval.abort() };
}
