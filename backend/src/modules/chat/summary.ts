import { buildSummaryRequest, fitToBudget } from '../../ai/pedagogy/index.js';
import { describeFailure } from '../../ai/failure-detail.js';
import { estimateRequestTokens } from '../../ai/usage-estimate.js';
import { SUMMARY_OUTPUT_TOKENS } from './tutor.js';
import { toLlmMessage } from './context.js';
import { listVisibleMessagesAfter } from './messages.repository.js';
import { findOwnedSession, updateSessionSummary } from './sessions.repository.js';
import type { TurnDeps } from './turn.types.js';

/** Sessions whose summary is being written by this process: one fold at a time per session. */
const folding = new Set<string>();

/**
 * After a completed turn (after `chat:done`, so the student never waits for it): folds the
 * messages that the next question's window will no longer hold into the session's running
 * summary, the previous summary plus only those messages. The next turn reads the stored
 * summary; a failed or skipped fold only means the oldest messages are not seen for a while.
 * `signal` is the turn's stop (and shutdown): it aborts the call, which is billed what it used.
 */
export async function summarizeAfterTurn(
  deps: TurnDeps,
  input: {
    userId: string;
    sessionId: string;
    signal: AbortSignal;
    /** Whether the turn's reservation still covers a call of this size (else: skipped). */
    canAfford?: (usage: { inputTokens: number; outputTokens: number }) => boolean;
  },
): Promise<void> {
  if (folding.has(input.sessionId)) return;
  folding.add(input.sessionId);
  try {
    const session = await findOwnedSession(deps.db, input.userId, input.sessionId);
    if (!session) return;
    const history = (
      await listVisibleMessagesAfter(deps.db, session.id, session.summarizedThroughSeq ?? 0)
    ).filter((row) => row.content.trim() !== '' && row.status !== 'streaming');
    const { folded } = fitToBudget(history.map(toLlmMessage), deps.limits.historyTokens);
    if (folded.length === 0) return;
    const request = buildSummaryRequest({
      previousSummary: session.summary,
      messagesToFold: folded,
    });
    const cost = {
      inputTokens: estimateRequestTokens(request),
      outputTokens: SUMMARY_OUTPUT_TOKENS,
    };
    if (input.canAfford && !input.canAfford(cost)) return;
    const next = await deps.tutor.summarize(
      request,
      { userId: input.userId, sessionId: session.id },
      input.signal,
    );
    if (next)
      await updateSessionSummary(deps.db, session.id, next, history[folded.length - 1]!.seq);
  } catch (error) {
    deps.logger.warn(
      { ...describeFailure(error), sessionId: input.sessionId },
      'could not store the summary',
    );
  } finally {
    folding.delete(input.sessionId);
  }
}
