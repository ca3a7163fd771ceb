import type { Classification } from '../../ai/pedagogy/classification.js';
import type { LlmMessage, ProviderName, TokenUsage } from '../../ai/types.js';

/** Who a provider call is for, so its usage row lands on the right user and conversation. */
export interface CallOwner {
  userId: string;
  sessionId: string;
  messageId?: string;
  /**
   * A new conversation's calls start beside the store that creates it (turn.service.ts): whether
   * that row exists, which the call's usage and error rows wait for (usage.service.ts).
   */
  sessionStored?: Promise<boolean> | undefined;
}

export type AnswerEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; usage: TokenUsage; provider: ProviderName; model: string; costUsd: number };

/**
 * The turn's view of the AI layer: classification and summaries never throw (they answer null,
 * and the turn goes on); an answer either streams to `done` or throws AnswerFailedError.
 * Every underlying call's usage is recorded inside, failed ones included.
 */
export interface Tutor {
  isConfigured(): boolean;
  /** True when answers come from the demo provider (they must say so). */
  isDemo(): boolean;
  /** Runs beside or after the answer; `signal` (the turn's stop) aborts it. */
  classify(
    request: { system: string; messages: LlmMessage[] },
    owner: CallOwner,
    signal?: AbortSignal,
  ): Promise<Classification | null>;
  /** Runs after the turn; `signal` (the turn's stop, or shutdown) aborts it. */
  summarize(
    request: { system: string; messages: LlmMessage[] },
    owner: CallOwner,
    signal?: AbortSignal,
  ): Promise<string | null>;
  streamAnswer(
    request: { system: string; messages: LlmMessage[] },
    owner: CallOwner,
    signal: AbortSignal,
  ): AsyncIterable<AnswerEvent>;
}

/** An answer could not be completed; `afterVisibleTokens` tells whether the student saw part of it. */
export class AnswerFailedError extends Error {
  constructor(
    readonly afterVisibleTokens: boolean,
    readonly usage: TokenUsage | undefined,
    readonly provider: ProviderName | undefined,
    readonly model: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      afterVisibleTokens ? 'answer interrupted after visible tokens' : 'no provider could answer',
      options,
    );
    this.name = 'AnswerFailedError';
  }
}
