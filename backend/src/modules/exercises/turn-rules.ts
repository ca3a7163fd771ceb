/**
 * What a chat turn must respect from exercises and module policies, read before the answer
 * starts: the module's AI policy (strictest of the conversation's module and any published
 * module's window that turns the tutor off: an exam is an exam in every chat), and the exercise
 * the workspace's active cell belongs to, with the student's checks of it.
 */
import type { AiPolicyNow, NotebookContext } from '@hintbook/contracts';
import type { Db } from '../../db/client.js';
import { policyAt, readAiPolicy, strictest } from '../learning/ai-policy.js';
import {
  findAttemptHistory,
  findCopyModulePolicy,
  findExerciseAtCopyCell,
  findLastAnswerTime,
  findPublishedModulePolicies,
} from './exercises.repository.js';
import type { PublishedPolicies } from './published-policies.js';

export interface TurnExercise {
  id: string;
  referenceSolution: string | null;
  attemptsBeforeCodeHelp: number;
  maxHintLevel: number;
  /** Failed checks whose code differed from the check before: attempts, not repeats. */
  failedChecksWithChanges: number;
  /** A failed check since the tutor's last completed answer in this conversation. */
  newFailedCheck: boolean;
}

export interface TurnRules {
  policy: AiPolicyNow | null;
  exercise: TurnExercise | null;
}

/** Counts failed checks, skipping a check of the very same code as the one before it. */
export function countFailedWithChanges(
  history: Array<{ codeHash: string; outcome: string }>,
): number {
  let count = 0;
  let previousHash: string | null = null;
  for (const check of history) {
    if (check.outcome !== 'passed' && check.codeHash !== previousHash) count += 1;
    previousHash = check.codeHash;
  }
  return count;
}

interface TurnRulesInput {
  userId: string;
  session: { id: string; scope: string; notebookId: string | null };
  questionSeq: number;
  notebookContext?: NotebookContext | undefined;
  now: Date;
}

/**
 * `policies`, the process's copy of every published module's policy: when none of them switches
 * the tutor off right now, no other module can apply to this turn, and the per-student read
 * (visibility through groups) is skipped. When one does, that read runs as before.
 */
export async function resolveTurnRules(
  db: Db,
  input: TurnRulesInput,
  policies?: PublishedPolicies,
): Promise<TurnRules> {
  const copyId = input.session.scope === 'module_notebook' ? input.session.notebookId : null;
  const cellId = input.notebookContext?.activeCellId;
  // The exercise at the active cell is read beside the policies: it needs nothing from them.
  // The student's checks of it and the last answer's time only once there is one: most cells
  // hold none, and reading them anyway cost every workspace turn two statements (bench/README.md).
  const atCell =
    copyId && cellId ? findExerciseAtCopyCell(db, input.userId, copyId, cellId) : undefined;
  atCell?.catch(() => undefined);
  const [own, published] = await Promise.all([
    copyId ? findCopyModulePolicy(db, input.userId, copyId) : undefined,
    findOtherModulePolicies(db, input, policies),
  ]);
  const candidates: AiPolicyNow[] = [];
  if (own) candidates.push(policyAt(readAiPolicy(own.aiPolicy), input.now));
  for (const row of published) {
    if (row.moduleId === own?.moduleId) continue;
    // Another module's rules apply here only when they switch the tutor off (an exam window).
    const off = isOffWindow(row.aiPolicy, input.now);
    if (off) candidates.push(off);
  }
  const policy = strictest(candidates);

  const exercise = await atCell;
  if (!exercise) return { policy, exercise: null };
  const [history, lastAnswerAt] = await Promise.all([
    findAttemptHistory(db, input.userId, exercise.id),
    findLastAnswerTime(db, input.session.id, input.questionSeq),
  ]);
  return {
    policy,
    exercise: {
      id: exercise.id,
      referenceSolution: exercise.referenceSolution,
      attemptsBeforeCodeHelp: exercise.attemptsBeforeCodeHelp,
      maxHintLevel: exercise.maxHintLevel,
      failedChecksWithChanges: countFailedWithChanges(history),
      newFailedCheck: history.some(
        (check) => check.outcome !== 'passed' && (!lastAnswerAt || check.createdAt > lastAnswerAt),
      ),
    },
  };
}

/** Another module applies to a chat only through a window that switches the tutor off now. */
function isOffWindow(aiPolicy: unknown, now: Date): AiPolicyNow | null {
  const at = policyAt(readAiPolicy(aiPolicy), now);
  return at.mode === 'off' && at.until ? at : null;
}

/** The published modules' policies this student can see, or none when none can apply now. */
async function findOtherModulePolicies(
  db: Db,
  input: TurnRulesInput,
  policies: PublishedPolicies | undefined,
) {
  if (policies) {
    const everyone = await policies.current();
    if (!everyone.some((row) => isOffWindow(row.aiPolicy, input.now))) return [];
  }
  return findPublishedModulePolicies(db, input.userId);
}
