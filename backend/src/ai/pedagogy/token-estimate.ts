/**
 * A cheap token estimate for budget decisions only (what to keep in the prompt, when to fold
 * history into the summary). Never used for usage or billing: those come from the provider's own
 * counts.
 */
import type { LlmMessage } from '../types.js';

/**
 * English prose runs about 4 characters per token, code and most other languages fewer. 3.5 leans
 * towards overestimating, so a prompt cut to budget does not overrun the real context window.
 */
export const CHARS_PER_TOKEN = 3.5;
/** Role markers and separators every vendor adds around a message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** Estimated tokens in a text: ceil(chars / 3.5), at least 1 for any non-empty text. */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));
}

export function estimateMessageTokens(message: LlmMessage): number {
  return estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
}

export interface FitResult {
  /** The newest messages that fit, oldest first, ready to send. */
  kept: LlmMessage[];
  /** The older messages, oldest first, to fold into the running summary. */
  folded: LlmMessage[];
}

/**
 * Keeps the newest run of messages whose estimated total fits `budgetTokens`; everything older is
 * folded. The kept part is always a contiguous tail (skipping one long message and keeping older
 * ones would give the model a conversation with a hole in it), and it never starts with an
 * assistant message, because some vendors reject a conversation that does not open with the user.
 */
export function fitToBudget(messages: LlmMessage[], budgetTokens: number): FitResult {
  let used = 0;
  let start = messages.length;
  while (start > 0) {
    const cost = estimateMessageTokens(messages[start - 1] as LlmMessage);
    if (used + cost > budgetTokens) break;
    used += cost;
    start -= 1;
  }
  while (start < messages.length && messages[start]?.role === 'assistant') start += 1;
  return { kept: messages.slice(start), folded: messages.slice(0, start) };
}
