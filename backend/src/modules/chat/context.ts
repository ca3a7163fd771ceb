import type { NotebookContext } from '@hintbook/contracts';
import {
  buildTutorSystemPrompt,
  buildTutorUserTurn,
  fitToBudget,
} from '../../ai/pedagogy/index.js';
import type { EffectiveLevels, HintLevels, TurnReason } from '../../ai/pedagogy/index.js';
import type { LlmMessage } from '../../ai/types.js';
import { listConversationForAnswer, type MessageRow } from './messages.repository.js';
import type { SessionRow } from './sessions.repository.js';
import type { TurnDeps } from './turn.types.js';

export interface AnswerContextInput {
  session: SessionRow;
  /** The conversation since its summary (`loadConversation`). */
  history: MessageRow[];
  question: MessageRow;
  hintLevels: HintLevels;
  /** Why the answer is at this level; a hold tells the tutor to say what to try next. */
  reason?: TurnReason | undefined;
  effectiveLevels: EffectiveLevels;
  notebookContext?: NotebookContext | undefined;
  /** Passages found for this question (see course-material.ts). */
  courseMaterial?: string | undefined;
}

/** How many of the last messages the level's planning and the classification look at. */
const RECENT_MESSAGES = 8;

/**
 * What an answer reads of its conversation, in one query: the running `summary`; `history`, the messages the answer may
 * see (after the running summary, before the question, with text, not streaming), and `recent`,
 * the last visible messages whatever they hold (planning and classification look at those).
 */
export async function loadConversation(
  deps: Pick<TurnDeps, 'db'>,
  sessionId: string,
  question: Pick<MessageRow, 'seq'>,
): Promise<{ recent: MessageRow[]; history: MessageRow[]; summary: string | null }> {
  const { rows, summarizedThroughSeq, summary } = await listConversationForAnswer(
    deps.db,
    sessionId,
    question.seq,
    RECENT_MESSAGES,
  );
  return {
    // Read with the history, so the summary and what follows it always fit together.
    summary,
    recent: rows.slice(-RECENT_MESSAGES),
    history: rows.filter(
      (row) =>
        row.seq > summarizedThroughSeq && row.content.trim() !== '' && row.status !== 'streaming',
    ),
  };
}

/**
 * What the tutor sees for one answer: the system prompt (our rules only), then the recent
 * conversation within the token budget, the last question carrying this turn's context as data.
 * No model call happens here: older messages were folded into the session's running summary
 * after earlier turns (summary.ts); until a summary exists, messages beyond the budget are simply
 * not sent.
 */
export function buildAnswerContext(deps: TurnDeps, input: AnswerContextInput) {
  const { session, question, history } = input;
  const { kept } = fitToBudget(history.map(toLlmMessage), deps.limits.historyTokens);
  const summary = session.summary ?? undefined;
  const rules = {
    hintLevels: input.hintLevels,
    ...(input.reason ? { reason: input.reason } : {}),
    effectiveLevels: input.effectiveLevels,
    isDemo: deps.tutor.isDemo(),
  };
  const messages = alternate([...kept, toLlmMessage(question)]);
  // The last message is the question (the vendors' alternation puts a user turn last).
  const last = messages.at(-1)!;
  last.content = buildTutorUserTurn(last.content, {
    courseMaterial: input.courseMaterial,
    notebookContext: input.notebookContext,
    conversationSummary: summary,
  });
  return {
    system: buildTutorSystemPrompt(rules),
    messages,
    /** For the one regeneration after the answer guard tripped. */
    guardRetrySystem: buildTutorSystemPrompt({ ...rules, isGuardRetry: true }),
  };
}

export function toLlmMessage(row: MessageRow): LlmMessage {
  return { role: row.role, content: row.content };
}

/**
 * Vendors want user/assistant turns alternating and starting with the user; failed answers
 * leave gaps, so neighbours with the same role are merged.
 */
export function alternate(messages: LlmMessage[]): LlmMessage[] {
  const merged: LlmMessage[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous && previous.role === message.role) {
      previous.content = `${previous.content}\n\n${message.content}`;
    } else if (merged.length > 0 || message.role === 'user') {
      merged.push({ ...message });
    }
  }
  return merged;
}
