import type { NotebookContext } from '@hintbook/contracts';
import {
  buildTutorSystemPrompt,
  buildTutorUserTurn,
  fitToBudget,
} from '../../ai/pedagogy/index.js';
import type { EffectiveLevels, HintLevels, TurnReason } from '../../ai/pedagogy/index.js';
import type { LlmMessage } from '../../ai/types.js';
import { listVisibleMessagesAfter, type MessageRow } from './messages.repository.js';
import type { SessionRow } from './sessions.repository.js';
import type { TurnDeps } from './turn.types.js';

export interface AnswerContextInput {
  session: SessionRow;
  /** The conversation since its summary (`loadAnswerHistory`). */
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

/** The messages the answer may see: what came after the running summary, before the question. */
export async function loadAnswerHistory(
  deps: Pick<TurnDeps, 'db'>,
  session: SessionRow,
  question: MessageRow,
): Promise<MessageRow[]> {
  const rows = await listVisibleMessagesAfter(
    deps.db,
    session.id,
    session.summarizedThroughSeq ?? 0,
  );
  return rows.filter(
    (row) => row.seq < question.seq && row.content.trim() !== '' && row.status !== 'streaming',
  );
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
